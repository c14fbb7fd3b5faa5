// SPDX-License-Identifier: GPL-2.0
/*
 * Formatted extack messages on 6.1, which has no NL_SET_ERR_MSG_FMT.
 *
 * extack->_msg is a pointer: the text must stay put until netlink copies
 * it into the ack (netlink_ack(), or netlink_dump_done() for a dump),
 * which happens after our handler returns but in the same task, before
 * that task can run another netlink handler.  So every task gets one
 * buffer, reused for its next message: when it formats the next one,
 * the previous one has been sent.  A buffer is never shared, and freed
 * only once its task has exited (it holds a reference on the task) or
 * when the module goes, after the family is unregistered.
 */
#include <linux/netlink.h>
#include <linux/sched/task.h>
#include "vswap_extack.h"

#define VSWAP_MSG_LEN		128
/* Buffers of live tasks beyond this get the fixed message. */
#define VSWAP_MSG_BUFS_MAX	256

struct vswap_msgbuf {
	struct list_head node;
	struct task_struct *task;
	char msg[VSWAP_MSG_LEN];
};

static LIST_HEAD(vswap_msgbufs);
static unsigned int vswap_nr_msgbufs;
static DEFINE_MUTEX(vswap_msgbufs_lock);

/* Free the buffers of tasks that have exited: they send nothing more. */
static void vswap_msgbufs_reap(void)
{
	struct vswap_msgbuf *buf, *tmp;

	lockdep_assert_held(&vswap_msgbufs_lock);
	list_for_each_entry_safe(buf, tmp, &vswap_msgbufs, node) {
		if (!READ_ONCE(buf->task->exit_state))
			continue;
		list_del(&buf->node);
		put_task_struct(buf->task);
		kfree(buf);
		vswap_nr_msgbufs--;
	}
}

static struct vswap_msgbuf *vswap_msgbuf_get(void)
{
	struct vswap_msgbuf *buf;

	mutex_lock(&vswap_msgbufs_lock);
	list_for_each_entry(buf, &vswap_msgbufs, node)
		if (buf->task == current)
			goto out;
	vswap_msgbufs_reap();
	buf = NULL;
	if (vswap_nr_msgbufs >= VSWAP_MSG_BUFS_MAX)
		goto out;
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		goto out;
	get_task_struct(current);
	buf->task = current;
	list_add(&buf->node, &vswap_msgbufs);
	vswap_nr_msgbufs++;
out:
	mutex_unlock(&vswap_msgbufs_lock);
	return buf;
}

void vswap_errmsgf(struct netlink_ext_ack *extack, const struct nlattr *attr,
		   const char *fmt, ...)
{
	struct vswap_msgbuf *buf;
	va_list args;

	if (!extack)
		return;
	NL_SET_BAD_ATTR(extack, attr);
	buf = vswap_msgbuf_get();
	if (!buf) {
		NL_SET_ERR_MSG(extack, "vswap: request refused (out of memory for the details)");
		return;
	}
	va_start(args, fmt);
	vsnprintf(buf->msg, sizeof(buf->msg), fmt, args);
	va_end(args);
	do_trace_netlink_extack(buf->msg);
	extack->_msg = buf->msg;
}

/* Module unload, after the family is gone: nobody can send anymore. */
void vswap_extack_exit(void)
{
	struct vswap_msgbuf *buf, *tmp;

	mutex_lock(&vswap_msgbufs_lock);
	list_for_each_entry_safe(buf, tmp, &vswap_msgbufs, node) {
		list_del(&buf->node);
		put_task_struct(buf->task);
		kfree(buf);
	}
	vswap_nr_msgbufs = 0;
	mutex_unlock(&vswap_msgbufs_lock);
}
