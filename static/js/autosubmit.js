// Posts a form marked data-autosubmit as soon as the page has loaded (the button is there without script).
document.querySelectorAll("form[data-autosubmit]").forEach((form) => form.submit());
