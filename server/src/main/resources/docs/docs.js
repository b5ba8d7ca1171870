// Renders the server's own document with Swagger UI. The document's server is `{scheme}://{host}`, with defaults
// for a deployment (https, a placeholder host): on this page they default to where the page came from, so that
// "Try it out" sends its requests to the server that serves it.
function ServedHere() {
  var here = { scheme: location.protocol.slice(0, -1), host: location.host };
  return {
    statePlugins: {
      spec: {
        wrapActions: {
          updateJsonSpec: function (original) {
            return function (spec) {
              (spec && spec.servers || []).forEach(function (server) {
                Object.keys(here).forEach(function (name) {
                  var variable = server.variables && server.variables[name];
                  if (variable && (!variable.enum || variable.enum.indexOf(here[name]) >= 0)) {
                    variable.default = here[name];
                  }
                });
              });
              return original.apply(null, arguments);
            };
          }
        }
      }
    }
  };
}

window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.yaml',
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis],
    plugins: [ServedHere],
    deepLinking: true,
    // no request to swagger.io's validator: the page talks to this server only
    validatorUrl: null
  });
});
