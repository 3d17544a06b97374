/* Medians, the Mann-Whitney U test and timing verdicts for compare. */
#include <math.h>
#include <stdlib.h>

#include "mannwhitney.h"

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b); /* NaN sorts last */
	return (a > b) - (a < b);
}

void sort_values(double *v, size_t n)
{
	if (n)
		qsort(v, n, sizeof(*v), cmp_double);
}

double median_sorted(const double *v, size_t n)
{
	if (n % 2)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Without ties every ordering of the pooled sample is equally likely under
 * the null hypothesis, so the p-value is a count of orderings. c[u] is the
 * number of orderings of i values of the first sample among n2 of the
 * second with U = u; going from i - 1 to i multiplies the generating
 * polynomial by (1 - q^(n2+i)) / (1 - q^i) (the q-binomial recurrence).
 * Each step is exact in integers, and all counts stay below C(40,20) <
 * 2^53, so doubles hold them exactly.
 */
static void exact_counts(unsigned n1, unsigned n2, double *c, size_t len)
{
	for (size_t u = 0; u < len; u++)
		c[u] = 0;
	c[0] = 1;
	for (unsigned i = 1; i <= n1; i++) {
		size_t deg = (size_t)(i - 1) * n2, k = n2 + i;
		for (size_t u = deg + k; u >= k; u--)
			c[u] -= c[u - k];
		for (size_t u = i; u <= deg + k; u++)
			c[u] += c[u - i];
	}
}

double mw_exact_p(unsigned n1, unsigned n2, double u)
{
	enum { LEN = MW_EXACT_MAX * MW_EXACT_MAX + MW_EXACT_MAX + 1 };
	double c[LEN];
	if (n1 > MW_EXACT_MAX || n2 > MW_EXACT_MAX)
		return NAN;
	exact_counts(n1, n2, c, LEN);
	double umax = (double)n1 * n2;
	double tail = floor(fmin(u, umax - u)); /* the distribution is symmetric */
	double below = 0, total = 0;
	for (size_t k = 0; k <= (size_t)umax; k++) {
		total += c[k];
		if ((double)k <= tail)
			below += c[k];
	}
	return fmin(1, 2 * below / total);
}

double mw_normal_p(size_t n1, size_t n2, double u, double tie_sum)
{
	double n = (double)n1 + (double)n2;
	double mu = (double)n1 * n2 / 2;
	double var = (double)n1 * n2 / 12 * ((n + 1) - tie_sum / (n * (n - 1)));
	if (var <= 0)
		return 1; /* everything tied: no evidence of a shift */
	double z = (fabs(u - mu) - 0.5) / sqrt(var); /* continuity correction */
	if (z <= 0)
		return 1;
	return fmin(1, erfc(z / sqrt(2)));
}

struct pooled {
	double v;
	int from_a;
};

static int cmp_pooled(const void *pa, const void *pb)
{
	const struct pooled *a = pa, *b = pb;
	return (a->v > b->v) - (a->v < b->v);
}

/*
 * Rank the sorted pooled sample, tied values sharing their mean rank.
 * Returns the rank sum of the first sample; tie_sum gets sum(t^3 - t).
 */
static double rank_sum_a(const struct pooled *p, size_t n, double *tie_sum)
{
	double r1 = 0;
	*tie_sum = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && p[j].v == p[i].v)
			j++;
		double t = (double)(j - i), rank = (double)(i + j + 1) / 2;
		for (size_t k = i; k < j; k++)
			if (p[k].from_a)
				r1 += rank;
		*tie_sum += t * t * t - t;
		i = j;
	}
	return r1;
}

int mw_test(const double *a, size_t na, const double *b, size_t nb,
	    struct mw_result *r)
{
	if (!na || !nb)
		return -1;
	size_t n = na + nb;
	struct pooled *p = malloc(n * sizeof(*p));
	if (!p)
		return -1;
	for (size_t i = 0; i < na; i++)
		p[i] = (struct pooled){ a[i], 1 };
	for (size_t i = 0; i < nb; i++)
		p[na + i] = (struct pooled){ b[i], 0 };
	qsort(p, n, sizeof(*p), cmp_pooled);
	double tie_sum;
	double r1 = rank_sum_a(p, n, &tie_sum);
	int all_same = p[0].v == p[n - 1].v;
	free(p);
	r->u = r1 - (double)na * ((double)na + 1) / 2;
	r->exact = tie_sum == 0 && na <= MW_EXACT_MAX && nb <= MW_EXACT_MAX;
	if (all_same)
		r->p = 1;
	else if (r->exact)
		r->p = mw_exact_p((unsigned)na, (unsigned)nb, r->u);
	else
		r->p = mw_normal_p(na, nb, r->u, tie_sum);
	return 0;
}

enum verdict timing_verdict(double p, double change_pct, double alpha,
			    double threshold_pct)
{
	if (!(p < alpha))
		return VERDICT_SAME;
	if (change_pct > threshold_pct)
		return VERDICT_REGRESSION;
	if (change_pct < -threshold_pct)
		return VERDICT_IMPROVEMENT;
	return VERDICT_SAME;
}
