package dev.orchestrator.template;

import java.beans.FeatureDescriptor;
import java.util.Iterator;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * An {@link ELResolver} that only looks things up or calls them ({@link MethodCalls}, {@link
 * Undefined}'s missing-key resolver): it names no type, sets nothing and describes no features.
 * Each subclass still says itself whether a property is read-only and which property type it
 * resolves, as those answers differ between them.
 */
abstract class LookupResolver extends ELResolver {
  /** Returns null: this resolver does not name the type of a property. */
  @Override
  public final Class<?> getType(ELContext context, Object base, Object property) {
    return null;
  }

  /** Does nothing: a template never assigns through this resolver. */
  @Override
  public final void setValue(ELContext context, Object base, Object property, Object value) {}

  /** Returns null: this resolver describes no features. */
  @Override
  public final Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
    return null;
  }
}
