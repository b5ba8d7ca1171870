/**
 * The small runtime the generated routes (server/src/main/templates/api.mustache) call: reading form
 * parameters and checking media types. It knows HTTP and the document's conventions, nothing of OAuth.
 */
package io.meshyauth.server.routing;
