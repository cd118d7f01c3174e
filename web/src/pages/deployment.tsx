/**
 * A deployment: its step timeline with durations, live over the server's event stream; its
 * log folded by step, following as it grows; the failed step opened with its error and hint.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { call, urlOf } from "../api/client";
import { EVENT_TYPES, isFinal, type DeploymentEvent } from "../api/events";
import { duration, short, when } from "../format";
import { usePoll } from "../hooks";
import { hrefs } from "../route";
import { Problem, State } from "../ui/state";
import { apply, emptyTimeline, hintText, type StepState, type Timeline } from "./deployment-state";

function useTimeline(id: number): { timeline: Timeline; count: number } {
  const timeline = useRef(emptyTimeline());
  const [count, setCount] = useState(0);
  useEffect(() => {
    timeline.current = emptyTimeline();
    setCount(0);
    const source = new EventSource(urlOf("followDeployment", { path: { id } }));
    const onEvent = (message: MessageEvent<string>): void => {
      const event = JSON.parse(message.data) as DeploymentEvent;
      apply(timeline.current, event);
      timeline.current.seen = Number(message.lastEventId) || timeline.current.seen;
      if (isFinal(event)) source.close();
      setCount((n) => n + 1);
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, onEvent);
    return () => source.close();
  }, [id]);
  return { timeline: timeline.current, count };
}

function StepLog({ step, open }: { step: StepState; open: boolean }) {
  const pre = useRef<HTMLPreElement>(null);
  // Follow the log: keep the newest line in sight while it grows.
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [step.lines.length]);
  return (
    <details class={`step step-${step.status}`} open={open} data-step={step.name}>
      <summary>
        <span class="step-name">{step.name}</span> <State status={step.status} /> <span class="muted">{duration(step.durationMs)}</span>
      </summary>
      {step.detail && <p class={step.status === "failed" ? "error" : "muted"}>{step.detail}</p>}
      {step.lines.length > 0 ? (
        <pre ref={pre} class="log" tabIndex={0} aria-label={`${step.name} log`}>
          {step.lines.map((l) => `${l.stream === "stderr" ? "! " : ""}${l.line}`).join("\n")}
        </pre>
      ) : (
        <p class="muted">No output.</p>
      )}
    </details>
  );
}

function Outcome({ timeline }: { timeline: Timeline }) {
  const f = timeline.final;
  if (!f) return null;
  if (f.type === "live")
    return (
      <p class="outcome ok" role="status">
        {f.text}
        {f.urls.map((u) => (
          <span key={u}>
            {" "}
            <a href={u}>{u}</a>
          </span>
        ))}
      </p>
    );
  if (f.type === "cancelled") return <p class="outcome" role="status">Cancelled: {f.reason}</p>;
  if (f.type === "built") return <p class="outcome ok" role="status">{f.text}</p>;
  const hint = hintText(f.hint);
  return (
    <div class="outcome failed" role="alert">
      <p>
        <strong>Failed ({f.code}):</strong> {f.message}
      </p>
      {hint && <p>{hint}</p>}
    </div>
  );
}

export function DeploymentPage({ id }: { id: number }) {
  const { timeline, count } = useTimeline(id);
  const final = timeline.final !== undefined;
  // Read again when the stream ends: the stored outcome, the commit resolved.
  const detail = usePoll(() => call("getDeployment", { path: { id } }), [id, final]);
  const d = detail.data;
  const failedStep = timeline.steps.find((s) => s.status === "failed")?.name;
  return (
    <section>
      <p class="crumbs">
        <a href={hrefs.projects}>Projects</a>
        {d && (
          <>
            {" "}
            / <a href={hrefs.environment(d.project, d.environment)}>{`${d.project} ${d.environment}`}</a>
          </>
        )}
      </p>
      <h1>
        Deployment #{id} {d && <State status={d.status} />}
      </h1>
      <Problem error={detail.error} />
      {d && (
        <dl class="facts">
          <dt>Kind</dt>
          <dd>{d.kind}</dd>
          <dt>Ref</dt>
          <dd>
            <code>{d.ref}</code>
          </dd>
          <dt>Commit</dt>
          <dd>
            {d.commitUrl ? (
              <a href={d.commitUrl} rel="noreferrer noopener" target="_blank" title={d.commit}>
                <code>{short(d.commit)}</code>
              </a>
            ) : (
              <code title={d.commit ?? timeline.commit}>{short(d.commit ?? timeline.commit) || "-"}</code>
            )}
          </dd>
          <dt>Asked by</dt>
          <dd>{d.actor}</dd>
          <dt>Queued</dt>
          <dd>{when(d.queuedAt)}</dd>
        </dl>
      )}
      <ol class="timeline" aria-label="Steps" data-events={count}>
        {timeline.steps.map((s) => (
          <li key={s.name} class={`step-${s.status}`} data-step={s.name} data-status={s.status}>
            <span class="step-name">{s.name}</span> <State status={s.status} /> <span class="muted">{duration(s.durationMs)}</span>
          </li>
        ))}
      </ol>
      <Outcome timeline={timeline} />
      {timeline.notes.length > 0 && (
        <ul class="notes">
          {timeline.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      <h2>Log</h2>
      {timeline.steps
        .filter((s) => s.status !== "pending")
        .map((s) => (
          <StepLog key={s.name} step={s} open={s.status === "running" || s.name === failedStep} />
        ))}
    </section>
  );
}
