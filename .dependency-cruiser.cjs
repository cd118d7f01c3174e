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
      name: "steps-never-import-entry-points",
      severity: "error",
      from: { path: "^src/(pipeline|adapters|plan|config|core)/" },
      to: { path: "^src/(cli|server)/" },
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
