/* The "fault" command: misbehave on purpose, one way per kind. */
#ifndef GUEST_FAULTS_H
#define GUEST_FAULTS_H

unsigned cmd_fault(int argc, char **argv);

#endif
