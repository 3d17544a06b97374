/*
 * The columns of every metrics.csv: fbvmm --csv writes them for one run,
 * forkbench's result sets (run, host, merge) hold them, plot and compare
 * read them.
 */
#ifndef FB_SCHEMA_H
#define FB_SCHEMA_H

#define RESULTS_CSV_HEADER "variant,scenario,size,rep,metric,value,unit,note"

#endif
