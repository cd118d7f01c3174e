import { describe, expect, it } from "vitest";
import { covers, renewalDue } from "./certificate-records.js";

const day = 86_400_000;
const issued = { notBefore: new Date(0), notAfter: new Date(90 * day) };

describe("certificate records", () => {
  it.each([
    { name: "fresh", now: 10 * day, due: false },
    { name: "just before a third of its lifetime is left", now: 59 * day, due: false },
    { name: "at a third left", now: 60 * day, due: true },
    { name: "expired", now: 91 * day, due: true },
  ])("renewal is due: $name → $due", ({ now, due }) => {
    expect(renewalDue(issued, now)).toBe(due);
  });

  it.each([
    { name: "every host named", names: ["a.example", "b.example"], hosts: ["a.example", "b.example"], covered: true },
    { name: "a host missing", names: ["a.example"], hosts: ["a.example", "b.example"], covered: false },
    { name: "a wildcard, one label deep", names: ["*.example"], hosts: ["a.example"], covered: true },
    { name: "a wildcard, not two labels deep", names: ["*.example"], hosts: ["a.b.example"], covered: false },
    { name: "a wildcard, not the bare domain", names: ["*.example"], hosts: ["example"], covered: false },
  ])("covers: $name", ({ names, hosts, covered }) => {
    expect(covers({ names }, hosts)).toBe(covered);
  });
});
