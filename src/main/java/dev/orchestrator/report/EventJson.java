package dev.orchestrator.report;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.WritableTypeId;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.jsontype.impl.AsPropertyTypeSerializer;
import com.fasterxml.jackson.databind.jsontype.impl.StdTypeResolverBuilder;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.orchestrator.common.Labelled;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON form of an {@link Event}, both ways: one line of {@code --output json} and of a run's
 * recorded {@code events.jsonl}. Everything about the form is declared on the types and here, none
 * of it in string handling:
 *
 * <ul>
 *   <li>{@code "schema"} ({@link Event#SCHEMA_VERSION}) then {@code "event"}, the type name that
 *       {@link Event}'s {@code @JsonSubTypes} gives each record, then the record's components in
 *       order;
 *   <li>field names in snake_case (Jackson's {@link PropertyNamingStrategies#SNAKE_CASE});
 *   <li>a {@link Duration} as whole milliseconds (rounded half up), in a field whose name says so
 *       ({@code duration_ms}, {@code wall_ms}: {@code @JsonProperty} on the component);
 *   <li>every state by its {@link Labelled#label()} ({@link dev.orchestrator.state.RunStatus} too,
 *       which {@code run.json} spells by its Java name), read back from the label or the Java name.
 * </ul>
 *
 * <p>A reader ignores fields it does not know and events it does not know ({@link #read} is empty),
 * as README "JSON events" asks of every reader; a text field missing from an older line reads as
 * empty text, a list as an empty list.
 */
public final class EventJson {
  private EventJson() {}

  /** The mapper of the event form; also what tests introspect for the README's event table. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .withConfigOverride(
              String.class, o -> o.setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY)))
          .withConfigOverride(
              List.class, o -> o.setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY)))
          .build();

  /** States as labels, durations as milliseconds. */
  private static SimpleModule module() {
    SimpleModule m = new SimpleModule("events");
    m.setDeserializers(new LabelReaders());
    return m.addSerializer(Labelled.class, new LabelWriter())
        .addSerializer(Duration.class, new MillisWriter())
        .addDeserializer(Duration.class, new MillisReader());
  }

  /**
   * An event as its JSON line, without the line break.
   *
   * @throws IllegalStateException if the event cannot be serialised (a bug)
   */
  public static String write(Event event) {
    try {
      return MAPPER.writerFor(Event.class).writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise event " + event, e);
    }
  }

  /**
   * Reads one JSON line back into its event.
   *
   * @param line one line as {@link #write} writes it (or an earlier or later version of this
   *     schema)
   * @return the event, or empty for an event this version does not know
   * @throws IOException if the line is not JSON (e.g. torn by a crash), or a field of a known event
   *     cannot be read (e.g. a state a newer version added)
   */
  public static Optional<Event> read(String line) throws IOException {
    return Optional.ofNullable(MAPPER.readValue(line, Event.class));
  }

  /** The event names and the records they name, as the type information declares them. */
  static Collection<NamedType> types() {
    DeserializationConfig config = MAPPER.getDeserializationConfig();
    return config
        .getSubtypeResolver()
        .collectAndResolveSubtypesByTypeId(
            config, config.introspectClassAnnotations(Event.class).getClassInfo())
        .stream()
        .filter(t -> t.getType() != Event.class)
        .toList();
  }

  /** The JSON fields of an event record and their Java types, in the order they are written. */
  static Map<String, Class<?>> fields(Class<?> type) {
    SerializationConfig config = MAPPER.getSerializationConfig();
    Map<String, Class<?>> out = new LinkedHashMap<>();
    for (BeanPropertyDefinition p :
        config.introspect(config.constructType(type)).findProperties()) {
      out.put(p.getName(), p.getPrimaryType().getRawClass());
    }
    return out;
  }

  /**
   * Writes {@code "schema"} before the type id {@code "event"}: the envelope of every line. Named
   * on {@link Event} by {@code @JsonTypeResolver}.
   */
  static final class Envelope extends StdTypeResolverBuilder {
    @Override
    public TypeSerializer buildTypeSerializer(
        SerializationConfig config, JavaType baseType, Collection<NamedType> subtypes) {
      AsPropertyTypeSerializer standard =
          (AsPropertyTypeSerializer) super.buildTypeSerializer(config, baseType, subtypes);
      return new SchemaFirst(standard.getTypeIdResolver(), null, standard.getPropertyName());
    }
  }

  /** {@code {"schema":1,"event":NAME,...}}. */
  private static final class SchemaFirst extends AsPropertyTypeSerializer {
    SchemaFirst(TypeIdResolver ids, BeanProperty property, String name) {
      super(ids, property, name);
    }

    @Override
    public AsPropertyTypeSerializer forProperty(BeanProperty prop) {
      return _property == prop ? this : new SchemaFirst(_idResolver, prop, _typePropertyName);
    }

    @Override
    public WritableTypeId writeTypePrefix(JsonGenerator g, WritableTypeId id) throws IOException {
      _generateTypeId(id);
      if (id.valueShape != JsonToken.START_OBJECT) {
        return super.writeTypePrefix(g, id);
      }
      g.writeStartObject(id.forValue);
      g.writeNumberField("schema", Event.SCHEMA_VERSION);
      g.writeStringField(_typePropertyName, String.valueOf(id.id));
      id.include = WritableTypeId.Inclusion.METADATA_PROPERTY;
      id.wrapperWritten = true; // the suffix closes the object only
      return id;
    }
  }

  /** Writes a state as its label (also for the plan's JSON, {@link JsonEventRenderer#MAPPER}). */
  static final class LabelWriter extends StdSerializer<Labelled> {
    private static final long serialVersionUID = 1L;

    LabelWriter() {
      super(Labelled.class);
    }

    @Override
    public void serialize(Labelled value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.label());
    }
  }

  /** Reads a state from its label or Java name ({@link Labelled#parse}). */
  private static final class LabelReaders extends SimpleDeserializers {
    private static final long serialVersionUID = 1L;

    @Override
    public JsonDeserializer<?> findEnumDeserializer(
        Class<?> type, DeserializationConfig config, BeanDescription beanDesc)
        throws JsonMappingException {
      return Labelled.class.isAssignableFrom(type)
          ? new LabelReader(type)
          : super.findEnumDeserializer(type, config, beanDesc);
    }
  }

  /** Reads one state type from its label or Java name. */
  private static final class LabelReader extends StdDeserializer<Object> {
    private static final long serialVersionUID = 1L;

    LabelReader(Class<?> type) {
      super(type);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      try {
        return Labelled.parse((Class) handledType(), text);
      } catch (IllegalArgumentException e) {
        return ctxt.handleWeirdStringValue(handledType(), text, e.getMessage());
      }
    }
  }

  /** Writes a duration as whole milliseconds, rounded half up. */
  private static final class MillisWriter extends StdSerializer<Duration> {
    private static final long serialVersionUID = 1L;

    MillisWriter() {
      super(Duration.class);
    }

    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeNumber(millis(value));
    }
  }

  /** Reads a duration from whole milliseconds. */
  private static final class MillisReader extends StdDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    MillisReader() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return Duration.ofMillis(p.getValueAsLong());
    }
  }

  /** A duration in whole milliseconds, rounded half up (as the events have always said it). */
  static long millis(Duration d) {
    return d.plusNanos(500_000).toMillis();
  }
}
