namespace PayTrack.Domain;

/// <summary>The calendar window a budget measures on a given day; both ends inclusive.</summary>
public readonly record struct BudgetPeriod(DateOnly Start, DateOnly End)
{
    public const string Monthly = "monthly";
    public const string Weekly = "weekly";

    /// <summary>
    /// The monthly period containing <paramref name="today"/> when periods start on day
    /// <paramref name="startDay"/> (1–28, e.g. payday) of each month.
    /// </summary>
    public static BudgetPeriod MonthlyContaining(DateOnly today, int startDay)
    {
        if (startDay is < 1 or > 28) throw new ArgumentOutOfRangeException(nameof(startDay), "startDay is 1–28.");
        var start = new DateOnly(today.Year, today.Month, startDay);
        if (today.Day < startDay) start = start.AddMonths(-1);
        return new BudgetPeriod(start, start.AddMonths(1).AddDays(-1));
    }

    /// <summary>The weekly period containing <paramref name="today"/>, weeks starting on ISO day <paramref name="startDay"/> (1 = Monday … 7 = Sunday).</summary>
    public static BudgetPeriod WeeklyContaining(DateOnly today, int startDay)
    {
        if (startDay is < 1 or > 7) throw new ArgumentOutOfRangeException(nameof(startDay), "startDay is 1–7 for weekly budgets.");
        var isoDay = ((int)today.DayOfWeek + 6) % 7 + 1;
        var start = today.AddDays(-((isoDay - startDay + 7) % 7));
        return new BudgetPeriod(start, start.AddDays(6));
    }

    public static BudgetPeriod Containing(DateOnly today, string period, int startDay) =>
        period == Weekly ? WeeklyContaining(today, startDay) : MonthlyContaining(today, startDay);
}
