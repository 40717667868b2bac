-- Several controllers on one run (issue 15), version 2 of the PostgreSQL state store.

-- Which controller walks a run's rollout (its stages, batches and gates): a lease on the database's
-- clock. The coordinator renews it; when it dies the lease expires and a worker takes over.
--   controller  the holder: host/pid/nonce
--   expires_at  now() + TTL at the last renewal (the database's clock, never a controller's)
CREATE TABLE run_coordinators (
  run_id      text        PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  controller  text        NOT NULL,
  renewed_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

-- A run's host pipelines of the current batch, claimed by controllers with row leases
-- (SELECT ... FOR UPDATE SKIP LOCKED). One row per host: a later batch or invocation publishes the
-- host again with a new pass.
--   pass        the publication (from work_passes): a coordinator waits for its own pass's outcomes
--   state       pending | claimed | done
--   claims      how many times it was claimed in this pass (0: the first claimant applies the
--               operator's --rerun-step; after a takeover the steps done stay done)
--   rerun       the step ids to run again (resume --rerun-step), JSON array of strings
--   claimed_by  the controller holding it; expires_at its lease (database clock)
--   outcome     how the host's pipeline ended (JSON), once done
CREATE SEQUENCE work_passes;
CREATE TABLE work_items (
  run_id      text        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  host        text        NOT NULL,
  pass        bigint      NOT NULL,
  state       text        NOT NULL CHECK (state IN ('pending', 'claimed', 'done')),
  claims      integer     NOT NULL DEFAULT 0,
  rerun       json        NOT NULL DEFAULT '[]',
  ord         integer     NOT NULL DEFAULT 0,
  claimed_by  text,
  expires_at  timestamptz,
  outcome     json,
  PRIMARY KEY (run_id, host)
);
CREATE INDEX work_items_claimable ON work_items (run_id, state, expires_at);
