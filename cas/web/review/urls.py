from django.urls import path

from cas.web.review import views

urlpatterns = [
    path("review", views.review_home, name="review-home"),
    path("review/referrals/<uuid:pk>", views.review_referral, name="review-referral"),
    path("review/referrals/<uuid:pk>/answers", views.review_referral_answers, name="review-referral-answers"),
    path("review/referrals/<uuid:pk>/timeline", views.review_referral_timeline, name="review-referral-timeline"),
    path("review/referrals/<uuid:pk>/print", views.review_referral_print, name="review-referral-print"),
    path("review/referrals/<uuid:pk>/reject", views.review_referral_reject, name="review-referral-reject"),
    path("review/referrals/<uuid:pk>/allocation", views.review_referral_allocation, name="review-referral-allocation"),
    path("review/referrals/<uuid:pk>/dates", views.review_referral_dates, name="review-referral-dates"),
    path("review/referrals/<uuid:pk>/<slug:action>", views.review_referral_action, name="review-referral-action"),
    path("review/<slug:tab>", views.review_queue, name="review-queue"),
    path("manage/review-service-levels", views.service_levels, name="review-service-levels"),
    path("manage/review-service-levels/<str:code>", views.service_level_edit, name="review-service-level-edit"),
]
