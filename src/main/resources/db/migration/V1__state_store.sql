-- The PostgreSQL state store (dev.orchestrator.state.postgres.PostgresStateStore), version 1.
-- Applied by Flyway when a store opens; never edit a released migration, add V2__... instead.
-- JSON columns are `json`, not `jsonb`: a record keeps any text a host printed (jsonb refuses \u0000).

-- A run: its info (RunInfo as JSON, the spec included) and the columns it is listed by.
CREATE TABLE runs (
  id            text        PRIMARY KEY,
  playbook_name text        NOT NULL,
  status        text        NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  info          json        NOT NULL
);
CREATE INDEX runs_newest_first ON runs (created_at DESC, id DESC);

-- A run's journal: every record, in the order it was committed (seq). A run's state is the latest
-- record of each (kind, subject, step), in the order each was first recorded.
--   kind    checkpoint | host | gate | lease | override
--   subject the host (checkpoint, host, lease), the gate or the option (override), encoded
--   step    a checkpoint's step, encoded; '' for the other kinds
CREATE TABLE journal (
  run_id      text        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq         bigint      GENERATED ALWAYS AS IDENTITY,
  kind        text        NOT NULL
              CHECK (kind IN ('checkpoint', 'host', 'gate', 'lease', 'override')),
  subject     text        NOT NULL,
  step        text        NOT NULL DEFAULT '',
  recorded_at timestamptz NOT NULL DEFAULT now(),
  entry       json        NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX journal_by_key ON journal (run_id, kind, subject, step, seq);

-- A run's recorded event stream, one serialised event per row, in the order appended.
CREATE TABLE events (
  run_id text   NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq    bigint GENERATED ALWAYS AS IDENTITY,
  line   text   NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- A step attempt's log (name: logs/HOST/STEP.ATTEMPT.log), in chunks appended as the step prints,
-- so that `logs -f` on any machine follows it: chunk `start` is its first byte's offset.
CREATE TABLE step_logs (
  run_id      text        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name        text        NOT NULL,
  size        bigint      NOT NULL CHECK (size >= 0),
  modified_at timestamptz NOT NULL,
  PRIMARY KEY (run_id, name)
);
CREATE TABLE step_log_chunks (
  run_id text   NOT NULL,
  name   text   NOT NULL,
  start  bigint NOT NULL CHECK (start >= 0),
  data   bytea  NOT NULL,
  PRIMARY KEY (run_id, name, start),
  FOREIGN KEY (run_id, name) REFERENCES step_logs (run_id, name) ON DELETE CASCADE
);
