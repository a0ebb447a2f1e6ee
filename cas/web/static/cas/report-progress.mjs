// Progress for a report being prepared: polls the API and reloads when it is ready.
// Without JavaScript the page has a "Check again" link instead.
const status = document.getElementById("report-progress");
if (status) {
  const poll = async () => {
    try {
      const response = await fetch(status.dataset.pollUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const run = await response.json();
        if (run.status === "queued" || run.status === "running") {
          status.textContent = `The report is being prepared: ${run.progress}% done.`;
        } else {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // Network blips: try again on the next tick.
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 2000);
}
