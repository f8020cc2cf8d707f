using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Web;

/// <summary>Issue 14's "honest money" on the pages: no voided transfer as money in, names instead of "another person's wallet", totals that say what they leave out.</summary>
public sealed class WebHonestMoneyTests : ApiTest
{
    private const string Password = "correct horse battery";

    private async Task<HttpClient> WebSignInAsync(SignedInUser user)
    {
        var web = App.Anonymous();
        var res = await web.SubmitAsync("/sign-in", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = Password });
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return web;
    }

    [Fact]
    public async Task VoidedTransfer_IsNotMoneyIn_AndBothSidesAreNamed_ButAStrangersEmailNeverShows()
    {
        var ann = await App.RegisterAndSignInAsync(password: Password, displayName: "Ann Sender");
        var bob = await App.RegisterAndSignInAsync(password: Password, displayName: "Bob Receiver");
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        await App.FundAsync(ann.Id, annWallet.Id, "100.00");
        var res = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "30.00", hold = true });
        var hold = (await res.Content.ReadFromJsonAsync<TransferDto>())!;

        // While held: Ann's wallets page names Bob (she sent to him, so his e-mail too); Bob's page names Ann without her e-mail.
        var annWeb = await WebSignInAsync(ann);
        var annWallets = WebUtility.HtmlDecode(await annWeb.GetStringAsync("/wallets"));
        annWallets.ShouldContain($"Bob Receiver ({bob.Email})");
        annWallets.ShouldNotContain("another person");
        var bobWeb = await WebSignInAsync(bob);
        var bobWallets = WebUtility.HtmlDecode(await bobWeb.GetStringAsync("/wallets"));
        bobWallets.ShouldContain("Ann Sender");
        bobWallets.ShouldNotContain(ann.Email);
        WebUtility.HtmlDecode(await bobWeb.GetStringAsync("/")).ShouldContain("On hold for you — not received yet");

        await (await ann.Client.PostAsync($"/api/v1/transfers/{hold.Id}/void", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var bobDashboard = WebUtility.HtmlDecode(await bobWeb.GetStringAsync("/"));
        bobDashboard.ShouldContain("Not received (voided)");
        bobDashboard.ShouldNotContain("+$30.00");
        bobDashboard.ShouldNotContain(ann.Email);
        bobDashboard.ShouldContain("from Ann Sender");

        // A completed transfer: each side's postings name the other.
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "5.00" }))
            .ShouldHaveStatusAsync(HttpStatusCode.Created);
        var bobPostings = WebUtility.HtmlDecode(await bobWeb.GetStringAsync($"/wallets/{bobWallet.Id}"));
        bobPostings.ShouldContain("from Ann Sender");
        bobPostings.ShouldNotContain(ann.Email);
        WebUtility.HtmlDecode(await annWeb.GetStringAsync($"/wallets/{annWallet.Id}")).ShouldContain($"to Bob Receiver ({bob.Email})");
        WebUtility.HtmlDecode(await bobWeb.GetStringAsync("/")).ShouldContain("+$5.00");
    }

    [Fact]
    public async Task Dashboard_AndBudget_SayWhatTheyLeaveOut_WithALinkToAddTheRate()
    {
        var me = await App.RegisterAndSignInAsync(password: Password, currency: "EUR");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await me.Client.CreateExpenseAsync(new { amount = "10.00", date = today, payee = "Bakery" });
        await me.Client.CreateExpenseAsync(new { amount = "1500", currency = "JPY", date = today, payee = "Ramen" });
        await me.Client.PostAsJsonAsync("/api/v1/budgets", new { name = "All", amount = "100", period = "monthly" });
        var web = await WebSignInAsync(me);

        var fix = $"/rates?base=JPY&amp;quote=EUR&amp;date={today}#enter";
        var dashboard = await web.GetStringAsync("/");
        dashboard.ShouldContain("data-testid=\"missing-rates\"");
        dashboard.ShouldContain(fix);
        var budgets = await web.GetStringAsync("/budgets");
        budgets.ShouldContain("Not included: amounts in JPY");
        budgets.ShouldContain(fix);
        // The link lands on the rates page with the form filled in.
        var rates = await web.GetStringAsync($"/rates?base=JPY&quote=EUR&date={today}");
        rates.ShouldContain($"value=\"{today}\"");
        rates.ShouldContain("<option value=\"JPY\" selected=\"selected\">JPY</option>");
    }

    [Fact]
    public async Task WalletPostings_PageBackExactly()
    {
        var me = await App.RegisterAndSignInAsync(password: Password);
        var wallet = await PayTrackApp.MainWalletAsync(me);
        for (var i = 1; i <= 27; i++) await App.FundAsync(me.Id, wallet.Id, $"{i}.00");
        var web = await WebSignInAsync(me);

        var first = WebUtility.HtmlDecode(await web.GetStringAsync($"/wallets/{wallet.Id}"));
        first.ShouldContain("Page 1");
        first.ShouldNotContain("Newer postings");
        var older = System.Text.RegularExpressions.Regex.Match(first, "href=\"([^\"]+)\" rel=\"next\"").Groups[1].Value;
        var second = WebUtility.HtmlDecode(await web.GetStringAsync(older));
        second.ShouldContain("Page 2");
        var newer = System.Text.RegularExpressions.Regex.Match(second, "href=\"([^\"]+)\" rel=\"prev\"").Groups[1].Value;
        newer.ShouldBe($"/wallets/{wallet.Id}");
        var again = WebUtility.HtmlDecode(await web.GetStringAsync(newer));
        again.ShouldContain("Page 1");
        again.ShouldContain("+$27.00");
    }
}
