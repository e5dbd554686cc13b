/*
 * alert.h -- --syslog: each new root cause at warning or above, one line
 * to syslog(3), for sites that alert from their logs.
 *
 * alert_batch() is called after each batch of packets, like the JSON
 * output; it reads the findings that changed since the last call and logs
 * those that name something to change, at warning or above, the first
 * time they are seen so (an error that becomes critical is logged again).
 * openlog() is called by alert_create(), before the sandbox, so that the
 * log socket is open already.
 */
#ifndef GLUETOP_ALERT_H
#define GLUETOP_ALERT_H

struct engine;
struct alert;

struct alert	*alert_create(struct engine *);
void		 alert_batch(struct alert *);
void		 alert_destroy(struct alert *);

#endif
