/**
 * The web console ({@code orchestrator serve}): pages and a JSON API under {@code /api/v1/} over
 * the application service ({@code app}), users and roles from a users file, sessions, CSRF tokens
 * and live updates by server-sent events. Javalin and Password4j are used here only; the pages are
 * rendered by the engine the run report uses ({@code report.Templates}, Pebble).
 */
package dev.orchestrator.web;
