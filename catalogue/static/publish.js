/* The upload form sends the publishing token in the Authorization header, never in the
   form body or the URL (issue 20): the server checks the token, and the council in the
   URL, before it reads the file. The answer (the report page) replaces this page. */
(function () {
  "use strict";
  var form = document.getElementById("publish-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var token = document.getElementById("token").value.trim();
    var params = new URLSearchParams();
    ["kind", "publisher"].forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value.trim()) { params.set(name, field.value.trim()); }
    });
    var button = document.getElementById("upload");
    if (button) { button.disabled = true; }
    fetch(form.action + "?" + params.toString(), {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"Authorization": "Bearer " + token, "Accept": "text/html"}
    }).then(function (response) { return response.text(); }).then(function (html) {
      document.open();
      document.write(html);
      document.close();
    }).catch(function (error) {
      if (button) { button.disabled = false; }
      window.alert("The upload did not reach the server: " + error);
    });
  });
}());
