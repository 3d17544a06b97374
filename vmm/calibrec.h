/* The guest's calib record, read into what the validity verdict needs. */
#ifndef FB_CALIBREC_H
#define FB_CALIBREC_H

#include "records.h"
#include "validity.h"

/* Fill g from a "calib" record (records.c checked its fields). */
void calib_from_record(const struct record *rec, struct guest_calib *g);

#endif
