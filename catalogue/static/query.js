/* Upgrade the query form to YASGUI (npm @zazuko/yasgui, installed by `svcat assets`).
   Without this script, or without YASGUI, the plain form keeps working. */
(function () {
  "use strict";
  var Yasgui = window.Yasgui;
  var configEl = document.getElementById("svcat-query-config");
  var form = document.getElementById("query-form");
  var holder = document.getElementById("yasgui");
  if (!Yasgui || !configEl || !form || !holder) { return; }
  var config = JSON.parse(configEl.textContent);
  var endpoint = new URL(config.endpoint, window.location.href).toString();
  var text = document.getElementById("query").value;
  /* New tabs start with every prefix the catalogue uses. */
  var prologue = Object.keys(config.prefixes).sort().map(function (p) {
    return "PREFIX " + p + ": <" + config.prefixes[p] + ">";
  }).join("\n");
  /* Show the holder first: CodeMirror measures its box when it is built. */
  holder.hidden = false;
  form.hidden = true;
  var yasgui = new Yasgui(holder, {
    yasqe: { value: prologue + "\n\nSELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n" },
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    populateFromUrl: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } }
  });
  var tab = yasgui.getTab();
  tab.setQuery(text);
  document.documentElement.classList.add("yasgui-ready");
})();
