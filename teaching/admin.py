from django.contrib import admin

from teaching.models import Assignment, Classroom, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["learner"]
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ["name", "teacher", "join_code", "created_at"]
    search_fields = ["name", "join_code", "teacher__username"]
    raw_id_fields = ["teacher"]
    inlines = [MembershipInline, AssignmentInline]
