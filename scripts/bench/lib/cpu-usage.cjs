// Preloaded (`node --require`) into a process the start-up benchmark times: writes the process's
// own CPU time (user + system, since it started, in ms) to FERROWHEEL_CPU_RECORD at exit. CPU
// time, unlike wall time, hardly moves when other work shares the machine.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeFileSync(process.env.FERROWHEEL_CPU_RECORD, String((user + system) / 1000));
});
