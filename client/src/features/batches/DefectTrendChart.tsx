import {
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from "chart.js";
import { useEffect, useRef } from "preact/hooks";
import type { DefectTrendPoint } from "../../../../shared/contracts/http/batches";

// Only what a line chart needs, so the rest of chart.js is left out of the bundle.
Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Legend,
  Tooltip,
);

/** "2026-03" -> "Mar 2026" */
export function monthLabel(month: string): string {
  const [year, m] = month.split("-").map(Number);
  return new Date(Date.UTC(year, m - 1, 1)).toLocaleString("en-US", {
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

const reducedMotion = () =>
  typeof window.matchMedia === "function" &&
  window.matchMedia("(prefers-reduced-motion: reduce)").matches;

/**
 * DOA and covered-defect units per 100 units, month by month, as two lines (chart.js). The canvas
 * is an image to assistive technology, named by `label`; the table beneath it has the figures.
 */
export function DefectTrendChart({ trend, label }: { trend: DefectTrendPoint[]; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<"line"> | null>(null);

  useEffect(() => {
    if (canvas.current === null) {
      return;
    }
    const styles = getComputedStyle(document.documentElement);
    const text = styles.getPropertyValue("--text").trim() || "#1f2933";
    chart.current = new Chart(canvas.current, {
      type: "line",
      data: { labels: [], datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reducedMotion() ? false : { duration: 400 },
        interaction: { mode: "index", intersect: false },
        scales: {
          y: {
            beginAtZero: true,
            title: { display: true, text: "units per 100", color: text },
            ticks: { color: text },
          },
          x: { ticks: { color: text } },
        },
        plugins: { legend: { labels: { color: text } } },
      },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const current = chart.current;
    if (current === null) {
      return;
    }
    current.data.labels = trend.map((point) => monthLabel(point.month));
    current.data.datasets = [
      {
        label: "DOA per 100 units",
        data: trend.map((point) => point.doaPer100),
        borderColor: "#c2410c",
        backgroundColor: "#c2410c",
        pointStyle: "rect",
        borderWidth: 2,
      },
      {
        label: "Covered defects per 100 units",
        data: trend.map((point) => point.coveredDefectPer100),
        borderColor: "#1d4ed8",
        backgroundColor: "#1d4ed8",
        borderDash: [6, 4],
        pointStyle: "circle",
        borderWidth: 2,
      },
    ];
    current.update(reducedMotion() ? "none" : undefined);
  }, [trend]);

  return (
    <div class="defect-chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
