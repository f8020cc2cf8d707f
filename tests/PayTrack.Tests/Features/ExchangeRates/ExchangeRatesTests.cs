using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.ExchangeRates;

public sealed class ExchangeRatesTests : ApiTest
{
    public sealed record RateDto(string Date, string Base, string Quote, string Rate);

    [Fact]
    public async Task Put_ByAdmin_StoresAndReplaces_AndEveryoneCanRead()
    {
        var admin = await App.RegisterAndSignInAsync();
        var user = await App.RegisterAndSignInAsync();
        await admin.Client.SetRatesAsync(("2026-03-01", "eur", "USD", "1.0834"), ("2026-03-02", "EUR", "USD", "1.09"), ("2026-03-01", "USD", "JPY", "149.5"));
        await admin.Client.SetRatesAsync(("2026-03-02", "EUR", "USD", "1.0912345678"));

        var page = (await user.Client.GetFromJsonAsync<PageDto<RateDto>>("/api/v1/exchange-rates?base=EUR&quote=USD"))!;
        page.Items.ShouldBe([new RateDto("2026-03-02", "EUR", "USD", "1.0912345678"), new RateDto("2026-03-01", "EUR", "USD", "1.0834")]);
        var all = (await user.Client.GetFromJsonAsync<PageDto<RateDto>>("/api/v1/exchange-rates?limit=2"))!;
        all.Items.Count.ShouldBe(2);
        var rest = (await user.Client.GetFromJsonAsync<PageDto<RateDto>>($"/api/v1/exchange-rates?limit=2&cursor={all.NextCursor}"))!;
        rest.Items.Single().ShouldBe(new RateDto("2026-03-01", "USD", "JPY", "149.5"));
        rest.NextCursor.ShouldBeNull();
    }

    [Fact]
    public async Task Put_ByNonAdmin_Returns403()
    {
        await App.RegisterAndSignInAsync();
        var user = await App.RegisterAndSignInAsync();
        var res = await user.Client.PutAsJsonAsync("/api/v1/exchange-rates", new { rates = new[] { new { date = "2026-03-01", @base = "EUR", quote = "USD", rate = "1.1" } } });
        await res.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Put_WhenInvalid_Returns400_AndStoresNothing()
    {
        var admin = await App.RegisterAndSignInAsync();
        var res = await admin.Client.PutAsJsonAsync("/api/v1/exchange-rates", new
        {
            rates = new object[]
            {
                new { date = "2026-03-01", @base = "EUR", quote = "USD", rate = 1.1 },
                new { date = "2026-03-01", @base = "EUR", quote = "EUR", rate = "1" },
                new { date = "2026-03-01", @base = "EUR", quote = "USD", rate = "-2" },
                new { date = "March", @base = "EUR", quote = "USD", rate = "1" },
            },
        });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["rates[1]", "rates[2]", "rates[3]"], ignoreOrder: true);
        (await admin.Client.GetFromJsonAsync<PageDto<RateDto>>("/api/v1/exchange-rates"))!.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task ImportFile_LoadsRates_AllOrNothing()
    {
        var admin = await App.RegisterAndSignInAsync();
        async Task<ImportResultDto> Load(string csv)
        {
            using var form = new MultipartFormDataContent { { new StringContent(csv), "file", "rates.csv" } };
            var res = await admin.Client.PostAsync("/api/v1/exchange-rates/import", form);
            await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
            return (await res.Content.ReadFromJsonAsync<ImportResultDto>())!;
        }
        var bad = await Load("date,base,quote,rate\n2026-03-01,EUR,USD,1.08\n2026-03-02,EUR,USD\n2026-03-03,EUR,XYZ,1\n");
        bad.Imported.ShouldBe(0);
        bad.Errors.Select(e => e.Line).ShouldBe([3, 4]);
        (await admin.Client.GetFromJsonAsync<PageDto<RateDto>>("/api/v1/exchange-rates"))!.Items.ShouldBeEmpty();

        (await Load("date,base,quote,rate\n2026-03-01,EUR,USD,1.08\n2026-03-02,GBP,USD,1.27\n")).Imported.ShouldBe(2);
        (await admin.Client.GetFromJsonAsync<PageDto<RateDto>>("/api/v1/exchange-rates"))!.Items.Count.ShouldBe(2);

        var user = await App.RegisterAndSignInAsync();
        using var form = new MultipartFormDataContent { { new StringContent("2026-03-01,EUR,USD,1"), "file", "rates.csv" } };
        await (await user.Client.PostAsync("/api/v1/exchange-rates/import", form)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task NewRates_AreUsedByTheNextReport()
    {
        var admin = await App.RegisterAndSignInAsync();
        await admin.Client.CreateExpenseAsync(new { amount = "10.00", currency = "EUR", date = "2026-03-05" });
        const string url = "/api/v1/reports/spending?from=2026-01-01&to=2026-12-31&currency=USD";
        var before = (await admin.Client.GetFromJsonAsync<SpendingReportDto>(url))!;
        before.Total.ShouldBe("0.00");
        before.MissingRates.Single().ShouldBe(new MissingRateDto("EUR", "2026-03-05"));

        await admin.Client.SetRatesAsync(("2026-03-01", "EUR", "USD", "1.5"));
        var after = (await admin.Client.GetFromJsonAsync<SpendingReportDto>(url))!;
        after.Total.ShouldBe("15.00");
        after.MissingRates.ShouldBeEmpty();
    }
}
