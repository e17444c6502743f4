// The article form's save button says "Schedule" while the article is set to be published at a date still
// to come, and "Save" otherwise. Times are compared as the site's local time, which the form shows: the
// button carries the site's time when the page was made (data-site-now), and the clock moves it on.
"use strict";
{
    const pad = (time) => (time.length === 5 ? `${time}:00` : time);

    function init() {
        const button = document.querySelector('input[name="_save"][data-schedule-label]');
        const status = document.getElementById("id_status");
        const date = document.getElementById("id_published_at_0");
        const time = document.getElementById("id_published_at_1");
        if (!button || !status || !date || !time) {
            return;
        }
        const siteNowAtLoad = Date.parse(`${button.dataset.siteNow.replace(" ", "T")}Z`);
        const loadedAt = Date.now();
        const siteNow = () => new Date(siteNowAtLoad + Date.now() - loadedAt).toISOString().slice(0, 19).replace("T", " ");

        function update() {
            const chosen = `${date.value.trim()} ${pad(time.value.trim() || "00:00:00")}`;
            const schedules = status.value === "published" && date.value.trim() !== "" && chosen > siteNow();
            button.value = schedules ? button.dataset.scheduleLabel : button.dataset.saveLabel;
        }

        for (const field of [status, date, time]) {
            field.addEventListener("input", update);
            field.addEventListener("change", update);
        }
        // The admin's "Today" and "Now" shortcuts set the fields without an event.
        document.addEventListener("click", () => setTimeout(update));
        update();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
}
