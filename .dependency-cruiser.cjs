/** Keeps the layers honest: see STYLE.md "Layers you can see in the tree". */
module.exports = {
  forbidden: [
    { name: "no-cycles", severity: "error", from: {}, to: { circular: true } },
    {
      name: "planners-are-pure",
      comment: "plan/ and config/ decide; they never import executors (adapters) or entry points.",
      severity: "error",
      from: { path: "^src/(plan|config)/" },
      to: { path: "^src/(adapters|cli|server|pipeline)/" },
    },
    {
      name: "only-entry-points-import-entry-points",
      comment: "Nothing below the shells imports cli/ or server/: they are entry points.",
      severity: "error",
      from: { path: "^src/(?!cli/|server/)" },
      to: { path: "^src/(cli|server)/" },
    },
    {
      name: "shells-call-the-application-layer",
      comment: "cli/ and server/ parse input, call app/, render output: they import app/ and their own files only.",
      severity: "error",
      from: { path: "^src/(cli|server)/" },
      to: { path: "^src/(?!app/|cli/|server/)" },
    },
    {
      name: "shells-stay-apart",
      severity: "error",
      from: { path: "^src/cli/" },
      to: { path: "^src/server/" },
    },
    {
      name: "server-stays-apart",
      severity: "error",
      from: { path: "^src/server/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "arrows-point-down-from-app",
      comment: "app/ composes the layers below it; none of them imports app/.",
      severity: "error",
      from: { path: "^src/(?!app/|cli/|server/)" },
      to: { path: "^src/app/" },
    },
    {
      name: "core-imports-nothing-of-ours-but-core",
      severity: "error",
      from: { path: "^src/core/" },
      to: { path: "^src/(?!core/)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.ts$" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
