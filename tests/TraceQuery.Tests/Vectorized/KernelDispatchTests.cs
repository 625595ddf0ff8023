using TraceQuery.Vectorized;

namespace TraceQuery.Tests.Vectorized;

[TestClass]
public sealed class KernelDispatchTests
{
    [TestMethod]
    public void EnvironmentForcesScalar_ThenMatchesTraceQuerySimdVariable()
    {
        // CI's scalar run sets TRACEQUERY_SIMD=scalar; the default run leaves it unset.
        bool expected = string.Equals(Environment.GetEnvironmentVariable(KernelDispatch.EnvironmentVariable), "scalar", StringComparison.OrdinalIgnoreCase);
        Assert.AreEqual(expected, KernelDispatch.EnvironmentForcesScalar);
        Assert.AreEqual(expected, KernelDispatch.ForceScalar);
        if (expected)
            Assert.IsFalse(KernelDispatch.UseVector256<int>());
    }

    [TestMethod]
    public void ForceScalarScope_NestedAndDisposed_ThenRestoresEachPreviousValue()
    {
        bool outside = KernelDispatch.EnvironmentForcesScalar;
        using (KernelDispatch.ForceScalarScope())
        {
            Assert.IsTrue(KernelDispatch.ForceScalar);
            Assert.IsFalse(KernelDispatch.UseVector256<ulong>());
            using (KernelDispatch.ForceScalarScope(force: false))
                Assert.AreEqual(outside, KernelDispatch.ForceScalar, "un-forced inside a forced scope; the environment still wins");
            Assert.IsTrue(KernelDispatch.ForceScalar);
        }
        Assert.AreEqual(outside, KernelDispatch.ForceScalar);
    }

    [TestMethod]
    public void ForceScalarScope_ParallelWorkInside_ThenEveryWorkerSeesIt()
    {
        var seen = new bool[64];
        using (KernelDispatch.ForceScalarScope())
            Parallel.For(0, seen.Length, i => seen[i] = KernelDispatch.ForceScalar);
        Assert.IsTrue(seen.All(s => s), "Parallel.For chunks run with the scope of the flow that started them");
    }

    [TestMethod]
    public async Task ForceScalarScope_FlowNotStartedInside_ThenUnaffected()
    {
        // A flow that does not inherit this one's context stands for another test running at the same time.
        bool elsewhere;
        using (KernelDispatch.ForceScalarScope())
        {
            Task<bool> other;
            using (ExecutionContext.SuppressFlow())
                other = Task.Run(() => KernelDispatch.ForceScalar);
            elsewhere = await other.ConfigureAwait(false);
        }
        Assert.AreEqual(KernelDispatch.EnvironmentForcesScalar, elsewhere);
    }
}
