using System.Linq.Expressions;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;

namespace ControlPanel.Engine.Tests.Data;

#pragma warning disable EF9100 // EF's liftable constants are experimental API

/// <summary>Queries resolve EF's liftable constants by interpreting them (no JIT compilation per constant), except those that build a delegate.</summary>
public class InterpretedLiftableConstantsTests : IDisposable
{
    readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    [Fact]
    public void Both_databases_contexts_use_it()
    {
        using var sqlite = ControlPanelDb.Open(tmp.Path);
        Assert.IsType<InterpretedLiftableConstants>(sqlite.GetService<ILiftableConstantProcessor>());
        using var postgres = PostgresControlPanelDb.Open(DatabaseLocation.Parse("postgres://cp@127.0.0.1:1/cp", tmp.Path));
        Assert.IsType<InterpretedLiftableConstants>(postgres.GetService<ILiftableConstantProcessor>());
    }

    [Fact]
    public void A_constant_is_read_without_compiling_its_resolver()
    {
        using var db = ControlPanelDb.Open(tmp.Path);
        var ours = db.GetService<ILiftableConstantProcessor>();
        using var stock = new ControlPanelDb(new DbContextOptionsBuilder<ControlPanelDb>().UseSqlite(ControlPanelDb.SqliteConnectionString(tmp.Path)).Options);
        var efs = stock.GetService<ILiftableConstantProcessor>();
        Assert.IsNotType<InterpretedLiftableConstants>(efs);
        // First uses load and compile what each way needs once (the interpreter's own code, EF's visitor).
        Inline(ours, "warm");
        Inline(efs, "warm");

        var (value, compiledByOurs) = CompiledWhile(() => Inline(ours, "ours"));
        var (_, compiledByEfs) = CompiledWhile(() => Inline(efs, "efs"));

        Assert.Equal("resolved ours", value);
        Assert.True(compiledByOurs < compiledByEfs,
            $"interpreting the resolver JIT-compiled {compiledByOurs} method(s) on this thread, EF's compilation {compiledByEfs}");
    }

    [Fact]
    public void A_resolver_that_builds_a_delegate_is_still_compiled()
    {
        using var db = ControlPanelDb.Open(tmp.Path);
        Expression<Func<MaterializerLiftableConstantContext, object>> resolver = _ => (Func<int, int>)(x => x + 1);
        var inlined = (ConstantExpression)db.GetService<ILiftableConstantProcessor>()
            .InlineConstants(new LiftableConstantExpression(null, resolver, "increment", typeof(Func<int, int>)), supportsPrecompiledQuery: false);

        var increment = Assert.IsType<Func<int, int>>(inlined.Value);
        Assert.Equal(2, increment(1));
        // An interpreted delegate's target is the interpreter's LightLambda: every row of a query would pay for it.
        Assert.NotEqual("LightLambda", increment.Target?.GetType().Name);
    }

    static string Inline(ILiftableConstantProcessor processor, string name)
    {
        Expression<Func<MaterializerLiftableConstantContext, object>> resolver = _ => "resolved " + name;
        var inlined = processor.InlineConstants(new LiftableConstantExpression(null, resolver, name, typeof(string)), supportsPrecompiledQuery: false);
        return (string)((ConstantExpression)inlined).Value!;
    }

    static (T Value, long Compiled) CompiledWhile<T>(Func<T> action)
    {
        var before = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true);
        var value = action();
        return (value, System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true) - before);
    }
}
