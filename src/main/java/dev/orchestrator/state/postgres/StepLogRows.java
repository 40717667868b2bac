package dev.orchestrator.state.postgres;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Reading a step log back from its chunks ({@code step_log_chunks}), from a byte offset on. */
final class StepLogRows {
  private StepLogRows() {}

  /**
   * Reads a log from an offset on, in one snapshot.
   *
   * @param location where the log is, for messages
   * @throws java.nio.file.NoSuchFileException when there is no such log
   * @throws IOException when the database cannot be read
   */
  static InputStream read(
      DataSource database, String runId, String name, long offset, String location)
      throws IOException {
    try (Connection c = database.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (PreparedStatement exists =
              c.prepareStatement("SELECT 1 FROM step_logs WHERE run_id = ? AND name = ?");
          PreparedStatement chunks =
              c.prepareStatement(
                  "SELECT start, data FROM step_log_chunks WHERE run_id = ? AND name = ?"
                      + " AND start + octet_length(data) > ? ORDER BY start")) {
        exists.setString(1, runId);
        exists.setString(2, name);
        try (ResultSet r = exists.executeQuery()) {
          if (!r.next()) {
            throw new java.nio.file.NoSuchFileException(location);
          }
        }
        chunks.setString(1, runId);
        chunks.setString(2, name);
        chunks.setLong(3, offset);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ResultSet r = chunks.executeQuery()) {
          while (r.next()) {
            long start = r.getLong(1);
            byte[] data = r.getBytes(2);
            int skip = (int) Math.max(0, offset - start);
            out.write(data, skip, data.length - skip);
          }
        }
        return new ByteArrayInputStream(out.toByteArray());
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IOException(
          "cannot read the log " + name + " of run " + runId + " from " + location, e);
    }
  }
}
