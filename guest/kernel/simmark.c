/* The fbsim announcement window and switch (simmark.h). */
#include "kernel/simmark.h"
#include "fb_sim.h"

FB_SIM_WINDOW_DEFINE;

int sim_on;

void sim_enable(void)
{
	fb_sim_window_announce();
	sim_on = 1;
}
