using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;

namespace ControlPanel.Engine.Data;

#pragma warning disable EF9100 // EF's liftable constants are marked experimental; the EF version is pinned and every query of the tests goes through this

/// <summary>
/// EF Core compiles each query's "liftable constants" (the entity types, properties and converters its materializer
/// refers to) by JIT-compiling a small lambda per constant and calling it once (efcore#35210): over a hundred
/// compilations in a CLI verb such as `cert issue`. Here a resolver is interpreted instead, which costs no JIT for a
/// value read once; a resolver that itself builds a delegate is still compiled, as EF does (efcore#35208: an
/// interpreted delegate would be slow on every row).
/// </summary>
public sealed class InterpretedLiftableConstants(
    ShapedQueryCompilingExpressionVisitorDependencies dependencies,
    RelationalShapedQueryCompilingExpressionVisitorDependencies relationalDependencies,
    RelationalCommandBuilderDependencies commandBuilderDependencies)
    : RelationalLiftableConstantProcessor(dependencies, relationalDependencies, commandBuilderDependencies)
{
    readonly MaterializerLiftableConstantContext context = new(dependencies);
    readonly RelationalMaterializerLiftableConstantContext relationalContext = new(dependencies, relationalDependencies, commandBuilderDependencies);

    /// <summary>Makes the context's queries use it.</summary>
    public static DbContextOptionsBuilder<T> Use<T>(DbContextOptionsBuilder<T> options) where T : DbContext =>
        options.ReplaceService<ILiftableConstantProcessor, InterpretedLiftableConstants>();

    protected override ConstantExpression InlineConstant(LiftableConstantExpression liftableConstant)
    {
        if (NestedLambda.In(liftableConstant.ResolverExpression.Body)) return base.InlineConstant(liftableConstant);
        return liftableConstant.ResolverExpression switch
        {
            Expression<Func<RelationalMaterializerLiftableConstantContext, object>> relational =>
                Expression.Constant(relational.Compile(preferInterpretation: true)(relationalContext), liftableConstant.Type),
            Expression<Func<MaterializerLiftableConstantContext, object>> resolver =>
                Expression.Constant(resolver.Compile(preferInterpretation: true)(context), liftableConstant.Type),
            _ => base.InlineConstant(liftableConstant),
        };
    }

    sealed class NestedLambda : ExpressionVisitor
    {
        bool found;

        public static bool In(Expression body)
        {
            var finder = new NestedLambda();
            finder.Visit(body);
            return finder.found;
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            found = true;
            return node;
        }
    }
}
