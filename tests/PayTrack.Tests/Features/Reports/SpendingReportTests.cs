using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Reports;

public sealed class SpendingReportTests : ApiTest
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly Dictionary<string, int> Digits = new() { ["USD"] = 2, ["EUR"] = 2, ["JPY"] = 0, ["BHD"] = 3, ["GBP"] = 2 };

    private sealed record Row(long Minor, string Currency, DateOnly Date, Guid? Category, string Payee, string[] Tags);

    /// <summary>
    /// Random expenses in five currencies; USD is the target. Rates: EUR→USD directly, USD→JPY (used
    /// inverted), GBP→EUR (through EUR), BHD→USD only from mid-year (earlier BHD days are missing).
    /// The expected report is computed here, independently: per (group, currency, day) sum, converted at
    /// the latest rate on or before the day and rounded half away from zero to cents.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Totals_EqualAnIndependentSum_ForEveryGrouping(int seed)
    {
        var random = new Random(seed);
        var admin = await App.RegisterAndSignInAsync();
        var me = admin.Client;
        var stranger = await App.RegisterAndSignInAsync();
        await stranger.Client.CreateExpenseAsync(new { amount = "999.00", date = "2026-05-05" });

        var rates = new List<(string Base, string Quote, DateOnly Date, decimal Rate)>
        {
            ("EUR", "USD", new(2025, 12, 1), 1.0834m), ("EUR", "USD", new(2026, 4, 15), 1.1172m), ("EUR", "USD", new(2026, 9, 1), 1.05m),
            ("USD", "JPY", new(2025, 1, 1), 149.25m), ("USD", "JPY", new(2026, 6, 30), 151.5m),
            ("GBP", "EUR", new(2026, 1, 1), 1.1713m),
            ("BHD", "USD", new(2026, 7, 1), 2.6596m),
        };
        await me.SetRatesAsync(rates.Select(r => (r.Date.ToString("yyyy-MM-dd", Inv), r.Base, r.Quote, r.Rate.ToString(Inv))).ToArray());

        var categories = (await me.CategoriesAsync()).Select(c => (Guid?)c.Id).Append(null).ToArray();
        string[] payees = ["Shop", "Café", "Metro", "Landlord"];
        string[] tags = ["a", "b", "c"];
        var rows = new List<Row>();
        for (var i = 0; i < 60; i++)
        {
            var currency = Digits.Keys.ElementAt(random.Next(Digits.Count));
            var minor = (long)random.Next(1, 2_000_000);
            var date = new DateOnly(2026, 1, 1).AddDays(random.Next(365));
            var rowTags = tags.Where(_ => random.Next(3) == 0).ToArray();
            var row = new Row(minor, currency, date, categories[random.Next(categories.Length)], payees[random.Next(payees.Length)], rowTags);
            rows.Add(row);
            await me.CreateExpenseAsync(new
            {
                amount = (minor / (decimal)Pow10(Digits[currency])).ToString(Inv), currency, date = date.ToString("yyyy-MM-dd", Inv),
                categoryId = row.Category, payee = row.Payee, tags = row.Tags,
            });
        }
        // Outside the window: never counted.
        await me.CreateExpenseAsync(new { amount = "5.00", date = "2027-01-01" });

        decimal? RateToUsd(string currency, DateOnly date)
        {
            decimal? Latest(string b, string q) => rates.Where(r => r.Base == b && r.Quote == q && r.Date <= date).OrderBy(r => r.Date).Select(r => (decimal?)r.Rate).LastOrDefault();
            return currency switch
            {
                "USD" => 1m,
                "EUR" => Latest("EUR", "USD"),
                "JPY" => Latest("USD", "JPY") is { } r ? 1m / r : null,
                "GBP" => Latest("GBP", "EUR") is { } g && Latest("EUR", "USD") is { } e ? g * e : null,
                _ => Latest("BHD", "USD"),
            };
        }

        var expectedMissing = rows.Where(r => RateToUsd(r.Currency, r.Date) is null).Select(r => (r.Currency, Date: r.Date.ToString("yyyy-MM-dd", Inv))).Distinct().Order().ToList();

        Dictionary<string, (long Total, int Count)> Expected(Func<Row, IEnumerable<string>> keys) =>
            rows.SelectMany(r => keys(r).Select(k => (Key: k, Row: r)))
                .Where(x => RateToUsd(x.Row.Currency, x.Row.Date) is not null)
                .GroupBy(x => (x.Key, x.Row.Currency, x.Row.Date))
                .Select(g => (g.Key.Key, Minor: (long)decimal.Round(g.Sum(x => x.Row.Minor) / (decimal)Pow10(Digits[g.Key.Currency]) * RateToUsd(g.Key.Currency, g.Key.Date)!.Value * 100m, 0, MidpointRounding.AwayFromZero), Count: g.Count()))
                .GroupBy(x => x.Key)
                .ToDictionary(g => g.Key, g => (g.Sum(x => x.Minor), g.Sum(x => x.Count)));

        var groupings = new Dictionary<string, Func<Row, IEnumerable<string>>>
        {
            ["category"] = r => [r.Category?.ToString() ?? ""],
            ["month"] = r => [r.Date.ToString("yyyy-MM", Inv)],
            ["week"] = r => [$"{ISOWeek.GetYear(r.Date.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(r.Date.ToDateTime(TimeOnly.MinValue)):00}"],
            ["day"] = r => [r.Date.ToString("yyyy-MM-dd", Inv)],
            ["tag"] = r => r.Tags.Length == 0 ? [""] : r.Tags,
            ["payee"] = r => [r.Payee],
        };
        var overall = Expected(_ => ["all"]).GetValueOrDefault("all");
        foreach (var (groupBy, keys) in groupings)
        {
            var report = (await me.GetFromJsonAsync<SpendingReportDto>($"/api/v1/reports/spending?from=2026-01-01&to=2026-12-31&groupBy={groupBy}&currency=USD"))!;
            var expected = Expected(keys);
            report.Currency.ShouldBe("USD");
            report.Groups.ToDictionary(g => g.Key, g => (g.Total, g.Count))
                .ShouldBe(expected.ToDictionary(kv => kv.Key, kv => (Usd(kv.Value.Total), kv.Value.Count)), ignoreOrder: true, customMessage: groupBy);
            if (groupBy != "tag")
            {
                report.Total.ShouldBe(Usd(expected.Values.Sum(v => v.Total)), groupBy);
                report.Count.ShouldBe(expected.Values.Sum(v => v.Count), groupBy);
            }
            else
            {
                report.Total.ShouldBe(Usd(overall.Total));
                report.Count.ShouldBe(overall.Count);
            }
            report.MissingRates.Select(m => (m.Currency, m.Date)).ShouldBe(expectedMissing, groupBy);
        }
    }

    private static long Pow10(int digits) => digits switch { 0 => 1, 2 => 100, _ => 1000 };
    private static string Usd(long minor) => (minor / 100m).ToString("F2", Inv);

    [Fact]
    public async Task Report_LabelsGroups_AndDefaultsToTheUsersCurrency()
    {
        var me = await App.RegisterAndSignInAsync(currency: "EUR");
        var food = await me.Client.CategoryAsync("Food");
        await me.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-03-02", categoryId = food.Id, payee = "A" });
        await me.Client.CreateExpenseAsync(new { amount = "5.00", date = "2026-03-09", payee = "B" });

        var byCategory = (await me.Client.GetFromJsonAsync<SpendingReportDto>("/api/v1/reports/spending?from=2026-01-01&to=2026-12-31"))!;
        byCategory.Currency.ShouldBe("EUR");
        byCategory.Total.ShouldBe("15.00");
        byCategory.Groups.Select(g => (g.Key, g.Label, g.Total)).ShouldBe([(food.Id.ToString(), "Food", "10.00"), ("", "Uncategorized", "5.00")]);
        var byMonth = (await me.Client.GetFromJsonAsync<SpendingReportDto>("/api/v1/reports/spending?from=2026-01-01&to=2026-12-31&groupBy=month"))!;
        byMonth.Groups.Single().ShouldBe(new SpendingGroupDto("2026-03", "March 2026", "15.00", 2));
        var byWeek = (await me.Client.GetFromJsonAsync<SpendingReportDto>("/api/v1/reports/spending?from=2026-01-01&to=2026-12-31&groupBy=week"))!;
        byWeek.Groups.Select(g => g.Key).ShouldBe(["2026-W10", "2026-W11"]);
    }

    [Fact]
    public async Task Csv_HasOneLinePerGroupAndATotal()
    {
        var me = await App.RegisterAndSignInAsync();
        await me.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-03-02", payee = "=cmd|' /C calc'!A0" });
        var res = await me.Client.GetAsync("/api/v1/reports/spending.csv?from=2026-01-01&to=2026-12-31&groupBy=payee");
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        res.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        (await res.Content.ReadAsStringAsync()).ShouldBe(
            "key,label,total,count,currency\r\n'=cmd|' /C calc'!A0,'=cmd|' /C calc'!A0,10.00,1,USD\r\n,Total,10.00,1,USD\r\n");
    }

    [Fact]
    public async Task Report_WhenArgumentsInvalid_Returns400()
    {
        var me = await App.RegisterAndSignInAsync();
        (await (await me.Client.GetAsync("/api/v1/reports/spending?groupBy=year&currency=ABC&from=2026-02-01&to=2026-01-01")).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .Errors!.Keys.ShouldBe(["groupBy", "currency", "to"], ignoreOrder: true);
        await (await App.Anonymous().GetAsync("/api/v1/reports/spending")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ByTag_FollowsAnExpenseWhoseDateChanged()
    {
        var me = await App.RegisterAndSignInAsync();
        var e = await me.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-01-05", tags = new[] { "trip" } });
        await (await me.Client.PutAsJsonAsync($"/api/v1/expenses/{e.Id}", new { amount = "12.00", date = "2026-03-05", tags = new[] { "trip", "work" } })).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await me.Client.CreateExpenseAsync(new { amount = "1.00", date = "2026-03-06" });
        var march = (await me.Client.GetFromJsonAsync<SpendingReportDto>("/api/v1/reports/spending?from=2026-03-01&to=2026-03-31&groupBy=tag"))!;
        march.Groups.Select(g => (g.Key, g.Total)).ShouldBe([("trip", "12.00"), ("work", "12.00"), ("", "1.00")]);
        march.Total.ShouldBe("13.00");
        (await me.Client.GetFromJsonAsync<SpendingReportDto>("/api/v1/reports/spending?from=2026-01-01&to=2026-01-31&groupBy=tag"))!.Groups.ShouldBeEmpty();
        (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses?tag=work"))!.Items.Single().Id.ShouldBe(e.Id);
    }
}
