using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using NonBlockingLog.Benchmarks.Support;

var config = QuickJob.IsNamedIn(args) ? DefaultConfig.Instance : DefaultConfig.Instance.AddJob(QuickJob.Instance);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
