// Draws each report table as a bar chart; the tables stay the source of the figures.
const data = JSON.parse(document.getElementById('report-charts')?.textContent || '[]');
for (const t of data) {
  const canvas = document.querySelector(`canvas[data-chart="${CSS.escape(t.id)}"]`);
  if (!canvas || typeof Chart === 'undefined') continue;
  new Chart(canvas, {
    type: 'bar',
    data: {
      labels: t.labels,
      // Suppressed counts ([c]) have no bar.
      datasets: [{ label: t.title, data: t.values, backgroundColor: '#1d70b8' }],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}
