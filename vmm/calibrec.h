/* The guest's calib record, read into what the validity verdict needs. */
#ifndef FB_CALIBREC_H
#define FB_CALIBREC_H

#include "records.h"
#include "validity.h"

/*
 * Fill g from a "calib" record (records.c checked iterations and cycles).
 * The privileged operations are optional: our guest sends them, the Linux
 * peer cannot (user mode); have_ops says whether all were there.
 */
void calib_from_record(const struct record *rec, struct guest_calib *g);

#endif
