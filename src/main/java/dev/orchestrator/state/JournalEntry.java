package dev.orchestrator.state;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a run's journal: one record per kind, each written as a one-key object naming its
 * kind, e.g. {@code {"checkpoint": {...}}} or {@code {"lease": {"host": ..., "state": "active",
 * ...}}}.
 *
 * <p>Earlier versions wrote every kind's key on every line, the unused ones {@code null} ({@code
 * {"checkpoint": {...}, "host": null, "gate": null, "lease": null, "override": null}}): such lines
 * read the same ({@link Reader}). A line of theirs reads in earlier versions too (absent keys are
 * null there). A line with no known kind (a newer version's) reads as {@code null} and is skipped;
 * a line with two kinds is not one this program or an earlier one writes, and is refused as
 * unreadable (counted like a torn line).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
@JsonSubTypes({
  @JsonSubTypes.Type(value = JournalEntry.CheckpointEntry.class, name = JournalEntry.CHECKPOINT),
  @JsonSubTypes.Type(value = JournalEntry.HostEntry.class, name = JournalEntry.HOST),
  @JsonSubTypes.Type(value = JournalEntry.GateEntry.class, name = JournalEntry.GATE),
  @JsonSubTypes.Type(value = JournalEntry.LeaseEntry.class, name = JournalEntry.LEASE),
  @JsonSubTypes.Type(value = JournalEntry.OverrideEntry.class, name = JournalEntry.OVERRIDE)
})
@JsonDeserialize(using = JournalEntry.Reader.class)
sealed interface JournalEntry {
  /** The key of a {@link CheckpointEntry}. */
  String CHECKPOINT = "checkpoint";

  /** The key of a {@link HostEntry}. */
  String HOST = "host";

  /** The key of a {@link GateEntry}. */
  String GATE = "gate";

  /** The key of a {@link LeaseEntry}. */
  String LEASE = "lease";

  /** The key of an {@link OverrideEntry}. */
  String OVERRIDE = "override";

  /** A step's checkpoint changed. */
  record CheckpointEntry(@JsonValue Checkpoint checkpoint) implements JournalEntry {
    /** Validates the field. */
    public CheckpointEntry {
      Objects.requireNonNull(checkpoint, "checkpoint");
    }
  }

  /** A host-level record (unreachable, done, rolled back). */
  record HostEntry(@JsonValue HostRecord host) implements JournalEntry {
    /** Validates the field. */
    public HostEntry {
      Objects.requireNonNull(host, "host");
    }
  }

  /** A gate's state changed. */
  record GateEntry(@JsonValue GateRecord gate) implements JournalEntry {
    /** Validates the field. */
    public GateEntry {
      Objects.requireNonNull(gate, "gate");
    }
  }

  /** The run's lease on a host changed. */
  record LeaseEntry(@JsonValue LeaseRecord lease) implements JournalEntry {
    /** Validates the field. */
    public LeaseEntry {
      Objects.requireNonNull(lease, "lease");
    }
  }

  /** An operator replaced a setting of the run. */
  record OverrideEntry(@JsonValue SpecOverride override) implements JournalEntry {
    /** Validates the field. */
    public OverrideEntry {
      Objects.requireNonNull(override, "override");
    }
  }

  /**
   * Reads a line of this version or an earlier one: the one key among the kinds whose value is not
   * null decides the kind; other keys are ignored.
   */
  final class Reader extends StdDeserializer<JournalEntry> {
    private static final long serialVersionUID = 1L;

    /** Creates the reader (Jackson does, from {@link JsonDeserialize}). */
    public Reader() {
      super(JournalEntry.class);
    }

    @Override
    public JournalEntry deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode line = p.readValueAsTree();
      if (line == null || !line.isObject()) {
        return ctxt.reportInputMismatch(this, "a journal line is a JSON object");
      }
      JournalEntry entry = null;
      for (Map.Entry<String, JsonNode> field : line.properties()) {
        if (field.getValue().isNull()) {
          continue;
        }
        JournalEntry read = read(field.getKey(), field.getValue(), ctxt);
        if (read == null) {
          continue; // not a kind this version knows
        }
        if (entry != null) {
          return ctxt.reportInputMismatch(this, "a journal line holds one record, not several");
        }
        entry = read;
      }
      return entry;
    }

    private static JournalEntry read(String kind, JsonNode value, DeserializationContext ctxt)
        throws IOException {
      return switch (kind) {
        case CHECKPOINT -> new CheckpointEntry(ctxt.readTreeAsValue(value, Checkpoint.class));
        case HOST -> new HostEntry(ctxt.readTreeAsValue(value, HostRecord.class));
        case GATE -> new GateEntry(ctxt.readTreeAsValue(value, GateRecord.class));
        case LEASE -> new LeaseEntry(ctxt.readTreeAsValue(value, LeaseRecord.class));
        case OVERRIDE -> new OverrideEntry(ctxt.readTreeAsValue(value, SpecOverride.class));
        default -> null;
      };
    }

    /** The kind is read from the line itself, both in this version's form and the earlier one. */
    @Override
    public Object deserializeWithType(
        JsonParser p, DeserializationContext ctxt, TypeDeserializer typeDeserializer)
        throws IOException {
      return deserialize(p, ctxt);
    }
  }
}
