/* Medians and the Mann-Whitney test, exact with ties, for compare. */
#include <math.h>
#include <stdint.h>
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

/* C(n1+n2, n1), exact: every partial product is itself a binomial. */
static uint64_t binomial(size_t n1, size_t n2)
{
	uint64_t c = 1;
	for (size_t i = 1; i <= n1; i++)
		c = c * (n2 + i) / i;
	return c;
}

double mw_min_p(size_t n1, size_t n2)
{
	if (n1 <= MW_EXACT_MAX && n2 <= MW_EXACT_MAX)
		return fmin(1, 2.0 / (double)binomial(n1, n2));
	/* Two tie groups shrink the variance most, so z is largest. */
	double t1 = (double)n1, t2 = (double)n2;
	return mw_normal_p(n1, n2, 0, t1 * t1 * t1 - t1 + t2 * t2 * t2 - t2);
}

/* The ranks of a pooled, sorted sample: doubled so midranks are whole. */
struct ranking {
	unsigned *r2;       /* doubled midrank of each pooled value */
	unsigned long r2_a; /* their sum over the first sample */
	double tie_sum;     /* sum of t^3 - t over the tie groups */
};

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
 * Tied values share the mean of the ranks they span, i+1..j, whose double
 * i+1+j is an integer: integer sums keep the exact distribution free of
 * rounding, so a tail never gains or loses a split by an epsilon.
 */
static void rank_pooled(const struct pooled *p, size_t n, struct ranking *rk)
{
	rk->r2_a = 0;
	rk->tie_sum = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && p[j].v == p[i].v)
			j++;
		double t = (double)(j - i);
		for (size_t k = i; k < j; k++) {
			rk->r2[k] = (unsigned)(i + 1 + j);
			if (p[k].from_a)
				rk->r2_a += rk->r2[k];
		}
		rk->tie_sum += t * t * t - t;
		i = j;
	}
}

/* Pool a and b, sort, rank. -1 out of memory; free rk->r2 after. */
static int rank_samples(const double *a, size_t na, const double *b,
			size_t nb, struct ranking *rk)
{
	size_t n = na + nb;
	struct pooled *p = malloc(n * sizeof(*p));
	rk->r2 = malloc(n * sizeof(*rk->r2));
	if (!p || !rk->r2) {
		free(p);
		free(rk->r2);
		return -1;
	}
	for (size_t i = 0; i < na; i++)
		p[i] = (struct pooled){ a[i], 1 };
	for (size_t i = 0; i < nb; i++)
		p[na + i] = (struct pooled){ b[i], 0 };
	qsort(p, n, sizeof(*p), cmp_pooled);
	rank_pooled(p, n, rk);
	free(p);
	return 0;
}

/*
 * The permutation distribution of the first sample's doubled rank sum
 * given these ranks: c[k][s] counts the ways to pick k of the values seen
 * so far with sum s, one pooled value at a time (k descending, so each
 * value is picked at most once). Returns the counts for k = n1, indexed
 * by s = 0..n(n+1); NULL out of memory. Free the result's base: *base.
 */
static uint64_t *rank_sum_counts(const unsigned *r2, size_t n, size_t n1,
				 uint64_t **base)
{
	size_t smax = n * (n + 1), w = smax + 1;
	uint64_t *c = calloc((n1 + 1) * w, sizeof(*c));
	*base = c;
	if (!c)
		return NULL;
	c[0] = 1;
	for (size_t i = 0; i < n; i++) {
		size_t top = i + 1 < n1 ? i + 1 : n1;
		for (size_t k = top; k >= 1; k--)
			for (size_t s = 0; s + r2[i] <= smax; s++)
				c[k * w + s + r2[i]] += c[(k - 1) * w + s];
	}
	return c + n1 * w;
}

/* Twice the smaller tail at the observed sum, over all C(n, n1) splits. */
static int exact_conditional_p(const struct ranking *rk, size_t n, size_t n1,
			       double *p)
{
	uint64_t *base, below = 0, above = 0, total = 0;
	const uint64_t *c = rank_sum_counts(rk->r2, n, n1, &base);
	if (!c)
		return -1;
	for (size_t s = 0; s <= n * (n + 1); s++) {
		total += c[s];
		below += s <= rk->r2_a ? c[s] : 0;
		above += s >= rk->r2_a ? c[s] : 0;
	}
	free(base);
	uint64_t tail = below < above ? below : above;
	*p = fmin(1, 2.0 * (double)tail / (double)total);
	return 0;
}

int mw_test(const double *a, size_t na, const double *b, size_t nb,
	    struct mw_result *r)
{
	if (!na || !nb)
		return -1;
	struct ranking rk;
	if (rank_samples(a, na, b, nb, &rk) < 0)
		return -1;
	r->u = (double)rk.r2_a / 2 - (double)na * ((double)na + 1) / 2;
	r->exact = na <= MW_EXACT_MAX && nb <= MW_EXACT_MAX;
	int rc = 0;
	if (r->exact)
		rc = exact_conditional_p(&rk, na + nb, na, &r->p);
	else
		r->p = mw_normal_p(na, nb, r->u, rk.tie_sum);
	free(rk.r2);
	return rc;
}
