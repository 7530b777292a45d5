namespace ControlPanel.Benchmarks;

/// <summary>One benchmark: prints its figures as "name: value unit" lines.</summary>
public interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    Task RunAsync(string[] args);
}
