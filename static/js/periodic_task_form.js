// Admin periodic task form (django-celery-beat): the chosen crontab's schedule in words
// under the field, as the library's own inline script did.
(function ($) {
  "use strict";

  var readableCrontabs = JSON.parse(document.getElementById("readable-crontabs").textContent);
  var crontabHelp = JSON.parse(document.getElementById("crontab-help").textContent);

  function showTranslation(translation) {
    var help = $(".field-crontab .help");
    help.text(crontabHelp);
    if (translation) {
      help.append(document.createElement("br"), document.createTextNode("Translation: " + translation));
    }
  }

  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    showTranslation(readableCrontabs[$("#id_crontab").val()]);
  });
})(django.jQuery);
