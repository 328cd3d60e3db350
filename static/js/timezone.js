// Tells the server the browser's time zone, so pages show times in it (labelled).
// Loaded as a static file: no inline script, so a Content-Security-Policy can forbid them.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  var current = document.cookie.split("; ").find(function (pair) {
    return pair.indexOf("tz=") === 0;
  });
  if (current === "tz=" + zone) {
    return;
  }
  document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
  // IANA names (letters, digits, "/", "_", "-", "+") are safe in a cookie as they are.
  // The page was drawn in UTC; draw it once more in the viewer's zone, only once.
  var shown = document.documentElement.getAttribute("data-time-zone");
  if (shown && shown !== zone && !sessionStorage.getItem("tz-reloaded")) {
    sessionStorage.setItem("tz-reloaded", "1");
    window.location.reload();
  }
})();
