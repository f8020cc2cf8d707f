using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;
using Shouldly;

namespace PayTrack.Tests.Features.Reports;

public sealed class CashFlowTests : ApiTest
{
    private sealed record PeriodDto(string Key, string Label, string Income, string Spending, string Net);
    private sealed record CashFlowDto(string Currency, string Income, string Spending, string Net, List<PeriodDto> Periods, List<MissingRateDto> MissingRates);

    [Fact]
    public async Task Monthly_ListsEveryMonth_ConvertsAtTheEntrysDate_AndListsMissingRates()
    {
        var admin = await App.RegisterAndSignInAsync(currency: "EUR");
        var me = admin.Client;
        await me.SetRatesAsync(("2026-01-01", "USD", "EUR", "0.5"));
        await me.CreateExpenseAsync(new { amount = "2500.00", date = "2026-01-31", payee = "Employer", kind = "income" });
        await me.CreateExpenseAsync(new { amount = "100.00", currency = "USD", date = "2026-01-15", payee = "Client", kind = "income" });
        await me.CreateExpenseAsync(new { amount = "800.00", date = "2026-01-02", payee = "Landlord" });
        await me.CreateExpenseAsync(new { amount = "12.34", date = "2026-03-05", payee = "Bakery" });
        await me.CreateExpenseAsync(new { amount = "1000", currency = "JPY", date = "2026-03-06", payee = "Ramen" });
        await me.CreateExpenseAsync(new { amount = "99.00", date = "2026-04-01", payee = "Outside the window" });
        var stranger = await App.RegisterAndSignInAsync(currency: "EUR");
        await stranger.Client.CreateExpenseAsync(new { amount = "5000.00", date = "2026-01-10", kind = "income" });

        var report = (await me.GetFromJsonAsync<CashFlowDto>("/api/v1/reports/cashflow?from=2026-01-01&to=2026-03-31&groupBy=month"))!;
        report.Currency.ShouldBe("EUR");
        report.Periods.Select(p => p.Key).ShouldBe(["2026-01", "2026-02", "2026-03"]);
        report.Periods[0].ShouldBe(new PeriodDto("2026-01", "January 2026", "2550.00", "800.00", "1750.00"));
        report.Periods[1].ShouldBe(new PeriodDto("2026-02", "February 2026", "0.00", "0.00", "0.00"));
        report.Periods[2].ShouldBe(new PeriodDto("2026-03", "March 2026", "0.00", "12.34", "-12.34"));
        (report.Income, report.Spending, report.Net).ShouldBe(("2550.00", "812.34", "1737.66"));
        // The yen lunch has no rate: left out and listed, never taken at 1.
        report.MissingRates.ShouldBe([new MissingRateDto("JPY", "2026-03-06")]);
    }

    [Fact]
    public async Task Weekly_UsesIsoWeeks_InTheAskedCurrency()
    {
        var admin = await App.RegisterAndSignInAsync(currency: "EUR");
        await admin.Client.SetRatesAsync(("2026-01-01", "EUR", "USD", "2"));
        await admin.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-01-05", kind = "income" });
        await admin.Client.CreateExpenseAsync(new { amount = "3.00", date = "2026-01-12" });

        var report = (await admin.Client.GetFromJsonAsync<CashFlowDto>("/api/v1/reports/cashflow?from=2026-01-01&to=2026-01-18&groupBy=week&currency=USD"))!;
        report.Currency.ShouldBe("USD");
        report.Periods.Select(p => p.Key).ShouldBe(["2026-W01", "2026-W02", "2026-W03"]);
        report.Periods.Select(p => p.Net).ShouldBe(["0.00", "20.00", "-6.00"]);
        report.Periods[1].Label.ShouldBe("Week 2, 2026");
    }

    [Fact]
    public async Task BadQuery_Returns400()
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.GetAsync("/api/v1/reports/cashflow?from=2026-02-01&to=2026-01-01&groupBy=day&currency=XXX");
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["to", "groupBy", "currency"], ignoreOrder: true);
    }
}
