/**
 * Incentive experiments: a campaign's reward variants, which variant each referrer gets, how
 * likely each variant is to be the best, and how the variants' weights move toward the likely
 * best within the campaign's guardrails. Everything here is a pure, deterministic function of
 * its inputs and seed.
 */
package dev.spur.core.experiments;
