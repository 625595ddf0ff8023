using TraceQuery.Filtering;

namespace TraceQuery.Tests.Filtering;

/// <summary>Random filter trees for the property tests: and/or/not nodes over the leaves a test draws itself.</summary>
internal static class RandomFilterTrees
{
    /// <summary>
    /// A tree up to <paramref name="depth"/> levels deep: at each level one chance in three of an and/or/not node
    /// (children built left to right), otherwise a leaf from <paramref name="leaf"/>.
    /// </summary>
    public static FilterNode Build(Random random, int depth, Func<Random, FilterNode> leaf)
    {
        if (depth > 0 && random.Next(3) == 0)
        {
            return random.Next(3) switch
            {
                0 => new AndNode(Build(random, depth - 1, leaf), Build(random, depth - 1, leaf)),
                1 => new OrNode(Build(random, depth - 1, leaf), Build(random, depth - 1, leaf)),
                _ => new NotNode(Build(random, depth - 1, leaf)),
            };
        }
        return leaf(random);
    }
}
