using Hangfire;

namespace ControlPanel.Engine.Jobs;

/// <summary>Builds our job classes over this process's engine, the same way in the panel and the CLI (no DI container needed).</summary>
sealed class EngineJobActivator(Func<Type, object?> create) : JobActivator
{
    public override object ActivateJob(Type jobType) =>
        create(jobType) ?? throw new InvalidOperationException($"no job of type {jobType} here");
}
