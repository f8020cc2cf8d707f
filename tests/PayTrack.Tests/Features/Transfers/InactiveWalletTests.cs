using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Transfers;

/// <summary>
/// Money only reaches an active wallet. A suspended user's wallets are suspended, a closed user's closed:
/// every path that moves money (by account id, by e-mail, in a batch, by capturing a hold, the web form)
/// refuses them the same way, and a user with money on the way to or from them cannot be closed.
/// </summary>
public sealed class InactiveWalletTests : ApiTest
{
    private const string Password = "correct horse battery";

    private async Task<(SignedInUser Admin, SignedInUser Ann, AccountDto AnnWallet, SignedInUser Bob, AccountDto BobWallet)> PeopleAsync()
    {
        var admin = await App.RegisterAndSignInAsync();
        var ann = await App.RegisterAndSignInAsync(password: Password);
        var bob = await App.RegisterAndSignInAsync(password: Password);
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        await App.FundAsync(ann.Id, annWallet.Id, "100.00");
        return (admin, ann, annWallet, bob, bobWallet);
    }

    private static async Task<TransferDto> HoldAsync(SignedInUser from, Guid fromWallet, Guid toWallet, string amount)
    {
        var res = await PayTrackApp.PostIdempotentAsync(from.Client, "/api/v1/transfers", new { fromAccountId = fromWallet, toAccountId = toWallet, amount, hold = true });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (await res.Content.ReadFromJsonAsync<TransferDto>())!;
    }

    private static async Task<AccountDto> AccountAsync(SignedInUser who, Guid id) => (await who.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{id}"))!;

    [Fact]
    public async Task Close_WhileAHoldToTheUserIsPending_Is409_AndTheCaptureStillLands()
    {
        var (admin, ann, annWallet, bob, bobWallet) = await PeopleAsync();
        var hold = await HoldAsync(ann, annWallet.Id, bobWallet.Id, "30.00");

        // Bob's wallet is at zero with nothing held, but money is on its way to him.
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{bob.Id}/close", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/holds-pending");
        (await bob.Client.GetFromJsonAsync<UserDto>("/api/v1/me"))!.Status.ShouldBe("active");

        await (await ann.Client.PostAsync($"/api/v1/transfers/{hold.Id}/capture", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await AccountAsync(bob, bobWallet.Id)).Balance.ShouldBe("30.00");
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Fact]
    public async Task Close_WhileTheUsersOwnHoldIsPending_Is409()
    {
        var (admin, ann, annWallet, _, bobWallet) = await PeopleAsync();
        await HoldAsync(ann, annWallet.Id, bobWallet.Id, "100.00");
        // Ann's wallet holds 100.00 for Bob: not closable (and it would be refused for the balance too).
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{ann.Id}/close", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await ann.Client.GetFromJsonAsync<UserDto>("/api/v1/me"))!.Status.ShouldBe("active");
    }

    [Fact]
    public async Task Capture_IntoASuspendedWallet_Is422_TheHoldStaysPending_AndWorksAfterReactivation()
    {
        var (admin, ann, annWallet, bob, bobWallet) = await PeopleAsync();
        var hold = await HoldAsync(ann, annWallet.Id, bobWallet.Id, "30.00");
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{bob.Id}/suspend", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        await (await ann.Client.PostAsync($"/api/v1/transfers/{hold.Id}/capture", null)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/account-not-active");
        (await ann.Client.GetFromJsonAsync<TransferDto>($"/api/v1/transfers/{hold.Id}"))!.Status.ShouldBe("pending");
        var a = await AccountAsync(ann, annWallet.Id);
        (a.Balance, a.Available).ShouldBe(("100.00", "70.00"));

        await (await admin.Client.PostAsync($"/api/v1/admin/users/{bob.Id}/reactivate", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var bobAgain = App.Authorized((await App.SignInAsync(bob.Email, Password)).AccessToken);
        (await bobAgain.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{bobWallet.Id}"))!.Status.ShouldBe("active");
        await (await ann.Client.PostAsync($"/api/v1/transfers/{hold.Id}/capture", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await bobAgain.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{bobWallet.Id}"))!.Balance.ShouldBe("30.00");
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Fact]
    public async Task Capture_IntoAClosedWallet_Is422_AndVoidReleasesTheMoney()
    {
        var (_, ann, annWallet, bob, bobWallet) = await PeopleAsync();
        var hold = await HoldAsync(ann, annWallet.Id, bobWallet.Id, "30.00");
        // A wallet closed while a hold to it was pending (allowed before this was fixed; still in old databases).
        await using (var db = App.Database.OpenContext())
        {
            db.Accounts.Single(x => x.Id == bobWallet.Id).Status = "closed";
            db.Users.Single(u => u.Id == bob.Id).Status = "closed";
            await db.SaveChangesAsync();
        }

        await (await ann.Client.PostAsync($"/api/v1/transfers/{hold.Id}/capture", null)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/account-not-active");
        (await ann.Client.GetFromJsonAsync<TransferDto>($"/api/v1/transfers/{hold.Id}"))!.Status.ShouldBe("pending");
        await (await ann.Client.PostAsync($"/api/v1/transfers/{hold.Id}/void", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var a = await AccountAsync(ann, annWallet.Id);
        (a.Balance, a.Available).ShouldBe(("100.00", "100.00"));
        await LedgerInvariants.AssertHoldAsync(App.Database);
    }

    [Fact]
    public async Task SendToASuspendedUser_IsRefusedTheSameWayOnEveryPath()
    {
        var (admin, ann, annWallet, bob, bobWallet) = await PeopleAsync();
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{bob.Id}/suspend", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        // By account id and by e-mail: the same 422.
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "10.00" }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/account-not-active");
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = annWallet.Id, toEmail = bob.Email, amount = "10.00" }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/account-not-active");
        // A hold to the suspended wallet is refused too.
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "10.00", hold = true }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/account-not-active");

        // In a batch: both items fail with the same reason.
        var batch = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers/batch", new
        {
            transfers = new object[]
            {
                new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "1.00" },
                new { fromAccountId = annWallet.Id, toEmail = bob.Email, amount = "1.00" },
            },
        });
        await batch.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var doc = JsonDocument.Parse(await batch.Content.ReadAsStringAsync()))
        {
            foreach (var r in doc.RootElement.GetProperty("results").EnumerateArray())
                r.GetProperty("problem").GetProperty("type").GetString().ShouldBe("/problems/account-not-active");
        }

        // The web form says so next to the form and books nothing.
        var web = App.Anonymous();
        (await web.SubmitAsync("/sign-in", new Dictionary<string, string> { ["Input.Email"] = ann.Email, ["Input.Password"] = Password })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var review = await web.SubmitAsync("/send", new Dictionary<string, string>
        {
            ["Input.FromAccountId"] = annWallet.Id.ToString(), ["Input.To"] = "email", ["Input.ToEmail"] = bob.Email,
            ["Input.Amount"] = "10", ["Input.Hold"] = "false",
        }, "/send?handler=Review");
        review.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await review.Content.ReadAsStringAsync()).ShouldContain("not active");

        (await AccountAsync(ann, annWallet.Id)).Balance.ShouldBe("100.00");
        await using var db = App.Database.OpenContext();
        db.Accounts.Single(a => a.Id == bobWallet.Id).BalanceMinor.ShouldBe(0);
        db.Accounts.Single(a => a.Id == bobWallet.Id).Status.ShouldBe("suspended");
    }

    [Fact]
    public async Task Close_WhileADepositIsPending_Is409()
    {
        var (admin, _, _, bob, bobWallet) = await PeopleAsync();
        await using (var db = App.Database.OpenContext())
        {
            db.Payments.Add(new PayTrack.Data.Payment
            {
                Id = Guid.CreateVersion7(), Kind = "deposit", UserId = bob.Id, AccountId = bobWallet.Id, AmountMinor = 500, Currency = bobWallet.Currency,
                Status = "pending", Method = "sandbox:success", CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{bob.Id}/close", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/payments-pending");
    }
}
