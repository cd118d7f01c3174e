/** A deployment's or step's state as a word and a colour (the word carries the meaning). */
export function State({ status, step }: { status: string; step?: string | undefined }) {
  const text = status === "running" && step ? `deploying: ${step}` : status;
  return <span class={`state state-${status}`}>{text}</span>;
}

export function Problem({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error.message}
    </p>
  );
}
