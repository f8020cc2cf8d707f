using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Categories;

public sealed class CategoriesTests : ApiTest
{
    [Fact]
    public async Task NewUser_HasDefaultCategories()
    {
        var me = await App.RegisterAndSignInAsync();
        var names = (await me.Client.CategoriesAsync()).Select(c => c.Name).ToList();
        names.ShouldBe(["Entertainment", "Food", "Health", "Housing", "Other", "Shopping", "Transport", "Utilities"]);
    }

    [Fact]
    public async Task Create_WithParent_ListsChildAfterParent()
    {
        var me = await App.RegisterAndSignInAsync();
        var food = await me.Client.CategoryAsync("Food");
        var res = await me.Client.PostAsJsonAsync("/api/v1/categories", new { name = " Groceries ", parentId = food.Id, color = "#112233" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var created = (await res.Content.ReadFromJsonAsync<CategoryDto>())!;
        created.Name.ShouldBe("Groceries");
        created.ParentId.ShouldBe(food.Id);
        created.Color.ShouldBe("#112233");
        var list = await me.Client.CategoriesAsync();
        list.FindIndex(c => c.Id == created.Id).ShouldBe(list.FindIndex(c => c.Id == food.Id) + 1);
    }

    [Fact]
    public async Task Create_WhenNameTakenAtSameLevel_Returns409_ButAllowedUnderAnotherParent()
    {
        var me = await App.RegisterAndSignInAsync();
        var res = await me.Client.PostAsJsonAsync("/api/v1/categories", new { name = "food" });
        await res.ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/category-name-taken");
        var shopping = await me.Client.CategoryAsync("Shopping");
        await me.Client.CreateCategoryAsync("Food", shopping.Id);
    }

    [Fact]
    public async Task Create_WhenInvalid_Returns400()
    {
        var me = await App.RegisterAndSignInAsync();
        var food = await me.Client.CategoryAsync("Food");
        var child = await me.Client.CreateCategoryAsync("Groceries", food.Id);
        var res = await me.Client.PostAsJsonAsync("/api/v1/categories", new { name = "", color = "red", parentId = child.Id });
        var problem = await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Errors!.Keys.ShouldBe(["name", "color", "parentId"], ignoreOrder: true);
    }

    [Fact]
    public async Task Update_RenamesAndRefusesDuplicates()
    {
        var me = await App.RegisterAndSignInAsync();
        var food = await me.Client.CategoryAsync("Food");
        var res = await me.Client.PutAsJsonAsync($"/api/v1/categories/{food.Id}", new { name = "Eating" });
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await res.Content.ReadFromJsonAsync<CategoryDto>())!.Name.ShouldBe("Eating");
        res = await me.Client.PutAsJsonAsync($"/api/v1/categories/{food.Id}", new { name = "Health" });
        await res.ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/category-name-taken");
    }

    [Fact]
    public async Task AnotherUsersCategory_Answers404()
    {
        var owner = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var food = await owner.Client.CategoryAsync("Food");
        await (await other.Client.PutAsJsonAsync($"/api/v1/categories/{food.Id}", new { name = "Mine" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.DeleteAsync($"/api/v1/categories/{food.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var res = await other.Client.PostAsJsonAsync("/api/v1/expenses", new { amount = "1.00", date = "2026-01-01", categoryId = food.Id });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldContain("categoryId");
    }

    [Fact]
    public async Task Delete_WhenInUseWithoutReassign_Returns409()
    {
        var me = await App.RegisterAndSignInAsync();
        var food = await me.Client.CategoryAsync("Food");
        await me.Client.CreateExpenseAsync(new { amount = "5.00", date = "2026-03-01", categoryId = food.Id });
        var res = await me.Client.DeleteAsync($"/api/v1/categories/{food.Id}");
        await res.ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/category-in-use");
    }

    [Fact]
    public async Task Delete_WithReassign_MovesExpensesOfItAndItsChildren_AndDeletesChildren()
    {
        var me = await App.RegisterAndSignInAsync();
        var food = await me.Client.CategoryAsync("Food");
        var other = await me.Client.CategoryAsync("Other");
        var groceries = await me.Client.CreateCategoryAsync("Groceries", food.Id);
        var a = await me.Client.CreateExpenseAsync(new { amount = "5.00", date = "2026-03-01", categoryId = food.Id });
        var b = await me.Client.CreateExpenseAsync(new { amount = "6.00", date = "2026-03-02", categoryId = groceries.Id });
        var budget = await me.Client.PostAsJsonAsync("/api/v1/budgets", new { name = "Food", categoryId = groceries.Id, amount = "100", period = "monthly" });
        await budget.ShouldHaveStatusAsync(HttpStatusCode.Created);

        var res = await me.Client.DeleteAsync($"/api/v1/categories/{food.Id}?reassignTo={groceries.Id}");
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldContain("reassignTo");

        res = await me.Client.DeleteAsync($"/api/v1/categories/{food.Id}?reassignTo={other.Id}");
        await res.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        var names = (await me.Client.CategoriesAsync()).Select(c => c.Name).ToList();
        names.ShouldNotContain("Food");
        names.ShouldNotContain("Groceries");
        (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{a.Id}"))!.CategoryId.ShouldBe(other.Id);
        (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{b.Id}"))!.CategoryId.ShouldBe(other.Id);
        (await me.Client.GetFromJsonAsync<List<BudgetDto>>("/api/v1/budgets"))!.Single().CategoryId.ShouldBe(other.Id);
    }

    [Fact]
    public async Task Delete_Unused_Returns204()
    {
        var me = await App.RegisterAndSignInAsync();
        var health = await me.Client.CategoryAsync("Health");
        await (await me.Client.DeleteAsync($"/api/v1/categories/{health.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        (await me.Client.CategoriesAsync()).Count.ShouldBe(7);
    }
}
