-- The landing page's limit per client address is the Workers Rate Limiting binding
-- (wrangler.toml, LANDING_LIMITER): counted and checked in one step, before any query.
DROP TABLE "landing_lookup_failures" CASCADE;
