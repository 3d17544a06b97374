/* Timeout and termination signals for a guest run. */
#include <signal.h>
#include <string.h>
#include <sys/time.h>

#include "watchdog.h"

static volatile sig_atomic_t fired, stop_signal;
static volatile uint8_t *kick;

static void on_signal(int sig)
{
	if (sig == SIGALRM)
		fired = 1;
	else
		stop_signal = sig;
	if (kick)
		*kick = 1;
}

int watchdog_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: blocking calls must see EINTR */
	if (sigaction(SIGALRM, &sa, NULL) < 0 ||
	    sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	return 0;
}

void watchdog_set_kick(volatile uint8_t *immediate_exit)
{
	kick = immediate_exit;
}

void watchdog_arm(unsigned seconds)
{
	struct itimerval it;
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = seconds;
	setitimer(ITIMER_REAL, &it, NULL);
}

void watchdog_disarm(void)
{
	watchdog_arm(0);
}

int watchdog_fired(void)
{
	return fired;
}

int watchdog_stop_signal(void)
{
	return stop_signal;
}
