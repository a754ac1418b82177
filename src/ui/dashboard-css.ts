/** The dashboard's stylesheet, served as /ui/assets/dashboard.css (no inline style: CSP). */
export const DASHBOARD_CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #5b6572; --line: #d5dae0;
  --bad: #b42318; --warn: #9a6700; --good: #1a7f37; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--ink); background: #f6f8fa; }
header { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.2rem;
  background: #12263a; color: #fff; }
header a { color: #cfe3ff; text-decoration: none; }
header a.active { color: #fff; font-weight: 600; border-bottom: 2px solid #fff; }
header nav { display: flex; gap: 1rem; flex: 1; }
header form { margin: 0; }
main { padding: 1rem 1.2rem; max-width: 1300px; }
h1 { font-size: 1.3rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.05rem; margin: 1.4rem 0 .5rem; }
table { border-collapse: collapse; background: #fff; margin-bottom: .6rem; width: 100%; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, monospace; font-size: 13px; word-break: break-all; }
.bad { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); font-weight: 600; }
.good { color: var(--good); }
.muted { color: var(--muted); }
tr.stale td { background: #fff4e5; }
.cards { display: flex; gap: .8rem; flex-wrap: wrap; }
.card { background: #fff; border: 1px solid var(--line); padding: .6rem .9rem; min-width: 9rem; }
.card .value { font-size: 1.5rem; font-weight: 600; }
.chart { background: #fff; border: 1px solid var(--line); padding: .5rem; margin: .4rem 0 1rem; }
form.inline { display: inline; }
input[type=text], input[type=password], input[type=search], select {
  padding: .35rem .5rem; border: 1px solid #aab2bd; font: inherit; }
input[type=search] { width: 32rem; max-width: 100%; }
button { padding: .35rem .8rem; font: inherit; cursor: pointer; border: 1px solid #0b4a8a;
  background: var(--accent); color: #fff; }
button.link { background: none; border: none; color: #cfe3ff; padding: 0; }
button.danger { background: var(--bad); border-color: #8a1a12; }
.login { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 1.5rem;
  border: 1px solid var(--line); }
.login label, .form-row label { display: block; margin: .6rem 0 .2rem; }
.login input { width: 100%; }
.notice { padding: .5rem .8rem; border: 1px solid var(--line); background: #fff; margin: .5rem 0; }
.notice.error { border-color: var(--bad); color: var(--bad); }
.notice.ok { border-color: var(--good); color: var(--good); }
.pager { margin: .6rem 0; }
.form-row { display: flex; gap: .8rem; align-items: end; flex-wrap: wrap; }
.form-row div { display: flex; flex-direction: column; }
`;
