using PayTrack.Domain;

namespace PayTrack.Tests.Domain;

public sealed class BudgetPeriodTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-03-01", 1, "2026-03-01", "2026-03-31")]
    [InlineData("2026-03-31", 1, "2026-03-01", "2026-03-31")]
    [InlineData("2026-02-28", 1, "2026-02-01", "2026-02-28")]
    [InlineData("2028-02-29", 1, "2028-02-01", "2028-02-29")]
    [InlineData("2026-03-25", 25, "2026-03-25", "2026-04-24")]
    [InlineData("2026-03-24", 25, "2026-02-25", "2026-03-24")]
    [InlineData("2026-01-10", 25, "2025-12-25", "2026-01-24")]
    [InlineData("2026-12-31", 25, "2026-12-25", "2027-01-24")]
    [InlineData("2026-02-28", 28, "2026-02-28", "2026-03-27")]
    [InlineData("2026-02-27", 28, "2026-01-28", "2026-02-27")]
    [InlineData("2026-03-01", 28, "2026-02-28", "2026-03-27")]
    [InlineData("2024-02-29", 28, "2024-02-28", "2024-03-27")]
    public void Monthly_ContainsTodayFromPaydayToTheDayBeforeTheNext(string today, int startDay, string start, string end)
    {
        var p = BudgetPeriod.MonthlyContaining(D(today), startDay);
        p.ShouldBe(new BudgetPeriod(D(start), D(end)));
    }

    [Theory]
    [InlineData("2026-11-16", 1, "2026-11-16", "2026-11-22")] // a Monday
    [InlineData("2026-11-22", 1, "2026-11-16", "2026-11-22")] // the Sunday after
    [InlineData("2026-11-21", 7, "2026-11-15", "2026-11-21")] // weeks from Sunday
    [InlineData("2026-12-31", 1, "2026-12-28", "2027-01-03")] // across the year end
    public void Weekly_StartsOnTheGivenIsoDay(string today, int startDay, string start, string end) =>
        BudgetPeriod.WeeklyContaining(D(today), startDay).ShouldBe(new BudgetPeriod(D(start), D(end)));

    [Fact]
    public void Monthly_EveryDayOfSeveralYears_LiesInItsPeriod_AndPeriodsTile()
    {
        for (var startDay = 1; startDay <= 28; startDay++)
        {
            var day = D("2023-01-01");
            var previous = BudgetPeriod.MonthlyContaining(day, startDay);
            for (var i = 0; i < 3 * 366; i++, day = day.AddDays(1))
            {
                var p = BudgetPeriod.MonthlyContaining(day, startDay);
                day.ShouldBeInRange(p.Start, p.End);
                p.Start.Day.ShouldBe(startDay);
                if (p != previous) p.Start.ShouldBe(previous.End.AddDays(1));
                previous = p;
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(29)]
    public void Monthly_RefusesStartDaysOutside1To28(int startDay) =>
        Should.Throw<ArgumentOutOfRangeException>(() => BudgetPeriod.MonthlyContaining(D("2026-01-01"), startDay));
}
