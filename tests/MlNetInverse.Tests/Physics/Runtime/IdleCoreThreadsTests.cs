using MlNetInverse.Physics.Runtime;

namespace MlNetInverse.Tests.Physics.Runtime;

public sealed class IdleCoreThreadsTests
{
    // /proc/stat of a 2-core machine: the aggregate line, then one line per core (values in clock ticks).
    private static string Machine(long user, long system, long idle, long steal = 0) =>
        $"cpu  {user} 0 {system} {idle} 0 0 0 {steal} 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\nintr 1 2 3\n";

    // /proc/self/stat with a command name holding spaces and a parenthesis, as the kernel writes it.
    private static string Self(long user, long system) =>
        $"4242 (dotnet (x) y) R 1 4242 4242 0 -1 4194560 100 0 0 0 {user} {system} 0 0 20 0 3 0 123 4096 100";

    [Fact]
    public void GivenProcTexts_WhenParsed_ThenBusyTotalCoresAndOwnTicksAreRead()
    {
        Assert.Equal((30L, 130L, 2), OtherProcessesLoad.ParseMachine(Machine(user: 20, system: 10, idle: 100)));
        // The hypervisor's steal is no process on this machine: it counts neither as busy nor as time.
        Assert.Equal((30L, 130L, 2), OtherProcessesLoad.ParseMachine(Machine(user: 20, system: 10, idle: 100, steal: 40)));
        Assert.Equal(57L, OtherProcessesLoad.ParseOwnTicks(Self(user: 50, system: 7)));
        Assert.Null(OtherProcessesLoad.ParseMachine("intr 1 2 3\n"));
        Assert.Null(OtherProcessesLoad.ParseMachine("cpu  1 2 x 4 5 6 7 8\ncpu0 1 2 3 4 5 6 7 8\n"));
        Assert.Null(OtherProcessesLoad.ParseOwnTicks("4242 (dotnet) R 1 2"));
    }

    [Fact]
    public void GivenAnotherProcessBusyOnOneCoreWhileThisOneUsesTheOther_WhenRead_ThenOneBusyCoreIsCountedForOthers()
    {
        // 100 ticks of wall time on 2 cores: 200 ticks in all; this process used 100 of the 190 busy ones.
        var machine = new Queue<string>([Machine(0, 0, 0), Machine(180, 10, 10)]);
        var self = new Queue<string>([Self(0, 0), Self(95, 5)]);
        var load = new OtherProcessesLoad(() => machine.Dequeue(), () => self.Dequeue());

        Assert.Equal(0.9, load.BusyCoresSinceLast()!.Value, 6);
    }

    [Fact]
    public void GivenAnIdleMachine_WhenReadTwice_ThenEachReadingCoversOnlyTheTimeSinceTheLast()
    {
        var machine = new Queue<string>([Machine(0, 0, 0), Machine(100, 0, 100), Machine(200, 0, 200)]);
        var self = new Queue<string>([Self(0, 0), Self(100, 0), Self(200, 0)]);
        var load = new OtherProcessesLoad(() => machine.Dequeue(), () => self.Dequeue());

        Assert.Equal(0.0, load.BusyCoresSinceLast());
        Assert.Equal(0.0, load.BusyCoresSinceLast());
    }

    [Fact]
    public void GivenNoProcOrNoTimePassed_WhenRead_ThenThereIsNoReading()
    {
        Assert.Null(new OtherProcessesLoad(() => null, () => Self(0, 0)).BusyCoresSinceLast());
        Assert.Null(new OtherProcessesLoad(() => Machine(1, 1, 1), () => Self(0, 0)).BusyCoresSinceLast());
    }

    [Fact]
    public void GivenThisMachine_WhenReadAfterSomeWork_ThenAReadingExistsOnLinuxAndIsNeverNegative()
    {
        var load = new OtherProcessesLoad();
        var until = DateTime.UtcNow.AddMilliseconds(150);
        double spin = 0;
        while (DateTime.UtcNow < until) spin += Math.Sqrt(spin + 1);
        var busy = load.BusyCoresSinceLast();

        if (!OperatingSystem.IsLinux()) { Assert.Null(busy); return; }
        Assert.NotNull(busy);
        Assert.InRange(busy!.Value, 0, Environment.ProcessorCount);
    }

    [Theory]
    [InlineData(0.0, 2)]     // idle: the second core is taken
    [InlineData(0.05, 2)]    // a daemon's ticks do not count
    [InlineData(0.2, 1)]     // someone else is working: back to one
    [InlineData(1.0, 1)]     // another job holds a core
    [InlineData(3.0, 1)]     // more load than cores: never below the fixed count
    public void GivenTwoCoresAndOneThread_WhenOthersLoadTheMachine_ThenTheSecondThreadIsTakenOnlyWhileItsCoreIsFree(double othersBusy, int expected)
    {
        Assert.Equal(expected, IdleCoreThreads.For(othersBusy, threads: 1, threadsWhenIdle: 2, cores: 2));
    }

    [Fact]
    public void GivenNoReadingOrNoRoomToWiden_WhenAsked_ThenTheFixedCountStays_AndTheCeilingHolds()
    {
        Assert.Equal(1, IdleCoreThreads.For(null, threads: 1, threadsWhenIdle: 2, cores: 2));
        Assert.Equal(1, IdleCoreThreads.For(double.NaN, threads: 1, threadsWhenIdle: 2, cores: 2));
        Assert.Equal(3, IdleCoreThreads.For(0.0, threads: 3, threadsWhenIdle: 0, cores: 16));
        Assert.Equal(4, IdleCoreThreads.For(0.0, threads: 1, threadsWhenIdle: 4, cores: 16));
        Assert.Equal(2, IdleCoreThreads.For(2.0, threads: 1, threadsWhenIdle: 8, cores: 4));   // one of the three other cores is free
        Assert.Equal(1, IdleCoreThreads.For(0.0, threads: 1, threadsWhenIdle: 2, cores: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => IdleCoreThreads.For(0.0, threads: 0, threadsWhenIdle: 2, cores: 2));
    }
}
